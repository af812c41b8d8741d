/**
 * Permissions as an attacker would probe them, beyond test/server/auth.test.ts: publishing where the
 * namespace or the token forbids it, posing as someone else in chat, presence and ephemeral messages,
 * reading another user's `#user` channel by every door (subscribe, presence, history, HTTP), HTTP API
 * keys that are almost right, origins that only look allowed, and JWTs signed the wrong way.
 */
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from '../../src/protocol/codes.ts';
import type { ClientInfo, ServerFrame } from '../../src/protocol/frames.ts';
import { mintToken } from '../../src/server/identity.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const SECRET = 'permissions-secret-that-is-long-enough-for-hs256';
const ORIGIN = 'http://good.example';
const API_KEY = 'k3y-permissions';

let server: RunningServer;
const clients: WsTestClient[] = [];
let requests = 0;

beforeAll(async () => {
  server = await startTestServer({ jwtSecret: SECRET, apiKey: API_KEY, allowedOrigins: [ORIGIN] });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function connectAs(
  claims: { sub: string; name?: string; channels?: string[] },
  query = '',
): Promise<WsTestClient> {
  const token = await mintToken(SECRET, claims);
  const client = await WsTestClient.connect(`${server.wsUrl}?token=${token}${query}`, {
    headers: { origin: ORIGIN },
  });
  clients.push(client);
  return client;
}

function openWith(url: string, origin?: string): WsTestClient {
  const client = WsTestClient.open(url, origin === undefined ? {} : { headers: { origin } });
  clients.push(client);
  return client;
}

function ask(client: WsTestClient, frame: Record<string, unknown>): Promise<ServerFrame> {
  requests += 1;
  return client.request({ ...frame, id: `q${requests}` });
}

async function expectError(
  client: WsTestClient,
  frame: Record<string, unknown>,
  code: string,
): Promise<void> {
  const reply = await ask(client, frame);
  expect(reply, JSON.stringify(frame)).toMatchObject({ type: 'error', code });
}

function http(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.httpUrl}${path}`, init);
}

describe('publishing where it is not allowed', () => {
  it.each([
    'trends',
    'trends:tech',
    'metrics',
    'stocks',
    'events',
    'notifications',
    'notifications#alice',
    'echo#alice',
    'chat:room#alice',
  ])('refuses a client publish to %s, even for the channel owner', async (channel) => {
    const alice = await connectAs({ sub: 'alice' });
    await expectError(
      alice,
      { type: 'publish', channel, data: { text: 'hi', op: 'increment' } },
      ErrorCode.Forbidden,
    );
    expect((await server.hub.history(channel, {})).publications).toEqual([]);
  });

  it('refuses ephemeral messages where the namespace has none, and before subscribing', async () => {
    const alice = await connectAs({ sub: 'alice' });
    await expectError(alice, { type: 'ephemeral', channel: 'trends', data: {} }, ErrorCode.Forbidden);
    await expectError(alice, { type: 'ephemeral', channel: 'chat:quiet', data: {} }, ErrorCode.NotSubscribed);
  });

  it('holds a token to its channels claim for publishing, not only for subscribing', async () => {
    const limited = await connectAs({ sub: 'carol', channels: ['chat:*'] });
    await expectError(limited, { type: 'publish', channel: 'echo', data: 'x' }, ErrorCode.Forbidden);
    await expectError(limited, { type: 'presence', channel: 'echo' }, ErrorCode.Forbidden);
    await expectError(limited, { type: 'history', channel: 'echo' }, ErrorCode.Forbidden);
    expect(
      await ask(limited, { type: 'publish', channel: 'chat:ok', data: { text: 'allowed' } }),
    ).toMatchObject({
      type: 'ack',
    });
  });
});

describe('posing as someone else', () => {
  it('stamps chat with the token identity, whatever the frame or the URL claims', async () => {
    const alice = await connectAs({ sub: 'alice', name: 'Alice' });
    const mallory = await connectAs(
      { sub: 'mallory', name: 'Mallory' },
      '&name=Alice&user=alice&client_id=x',
    );
    await ask(alice, { type: 'subscribe', channel: 'chat:spoof' });
    await ask(mallory, { type: 'subscribe', channel: 'chat:spoof' });
    const ack = await ask(mallory, {
      type: 'publish',
      channel: 'chat:spoof',
      from: {
        id: alice.frames[0].type === 'connection' ? alice.frames[0].client_id : '',
        name: 'Alice',
        user: 'alice',
      },
      data: { text: 'I am Alice', from: { name: 'Alice', user: 'alice' }, name: 'Alice', user: 'alice' },
    });
    expect(ack).toMatchObject({ type: 'ack' });
    const seen = await alice.nextPublication((p) => p.channel === 'chat:spoof');
    expect(seen.data).toEqual({ text: 'I am Alice' });
    expect(seen.from).toMatchObject({ name: 'Mallory', user: 'mallory' });
    expect(seen.from?.id).not.toBe('x');
  });

  it('lists the token identity in presence and stamps it on ephemeral messages', async () => {
    const alice = await connectAs({ sub: 'alice', name: 'Alice' });
    const mallory = await connectAs({ sub: 'mallory', name: 'Mallory' }, '&name=Alice');
    await ask(alice, { type: 'subscribe', channel: 'chat:presence' });
    await ask(mallory, { type: 'subscribe', channel: 'chat:presence' });
    const presence = await ask(alice, { type: 'presence', channel: 'chat:presence' });
    const names = (presence as { clients: ClientInfo[] }).clients.map((c) => `${c.name}/${c.user}`).sort();
    expect(names).toEqual(['Alice/alice', 'Mallory/mallory']);
    await ask(mallory, {
      type: 'ephemeral',
      channel: 'chat:presence',
      data: { typing: true, from: 'Alice' },
    });
    const typing = await alice.next((f) => f.type === 'ephemeral');
    expect(typing).toMatchObject({
      data: { typing: true, from: 'Alice' },
      from: { name: 'Mallory', user: 'mallory' },
    });
  });

  it('strips markup and control characters from token names', async () => {
    const client = await connectAs({ sub: 'eve', name: '<img src=x onerror=alert(1)>\u202eevE' });
    const hello = client.frames[0] as { user: ClientInfo };
    expect(hello.user.name).not.toMatch(/[<>\u202e]/);
    expect(hello.user.user).toBe('eve');
  });
});

describe("another user's #user channel", () => {
  it('is closed to every WebSocket door: subscribe, presence, history, ephemeral', async () => {
    const bob = await connectAs({ sub: 'bob' });
    for (const frame of [
      { type: 'subscribe', channel: 'notifications#alice' },
      { type: 'subscribe', channel: 'notifications#Alice' },
      { type: 'subscribe', channel: 'echo#alice' },
      { type: 'history', channel: 'notifications#alice' },
      { type: 'presence', channel: 'echo#alice' },
      { type: 'ephemeral', channel: 'echo#alice', data: {} },
    ]) {
      const reply = await ask(bob, frame);
      expect(reply.type, JSON.stringify(frame)).toBe('error');
      expect([ErrorCode.Forbidden, ErrorCode.NotSubscribed]).toContain((reply as { code: string }).code);
    }
  });

  it('is not opened by a channels claim that matches its prefix', async () => {
    const bob = await connectAs({ sub: 'bob', channels: ['notifications*', 'echo*'] });
    await expectError(bob, { type: 'subscribe', channel: 'notifications#alice' }, ErrorCode.Forbidden);
    expect(await ask(bob, { type: 'subscribe', channel: 'notifications#bob' })).toMatchObject({
      type: 'subscribed',
    });
  });

  it('is not opened by an anonymous client calling itself alice', async () => {
    const open = await startTestServer();
    try {
      const anonymous = await WsTestClient.connect(`${open.wsUrl}?name=alice`);
      clients.push(anonymous);
      await expectError(
        anonymous,
        { type: 'subscribe', channel: 'notifications#alice' },
        ErrorCode.Forbidden,
      );
      await expectError(
        anonymous,
        { type: 'subscribe', channel: 'notifications#undefined' },
        ErrorCode.Forbidden,
      );
    } finally {
      await open.close();
    }
  });

  it('needs the API key over HTTP too', async () => {
    await server.hub.publish('notifications#alice', { message: 'private' });
    for (const path of ['/api/history?channel=notifications%23alice', '/api/presence?channel=echo%23alice']) {
      expect((await http(path)).status, path).toBe(401);
      expect((await http(path, { headers: { authorization: 'Bearer wrong' } })).status, path).toBe(401);
      expect((await http(path, { headers: { authorization: `Bearer ${API_KEY}` } })).status, path).toBe(200);
    }
    const channels = (await (await http('/api/channels')).json()) as { channels: { channel: string }[] };
    expect(channels.channels.some((c) => c.channel.includes('#'))).toBe(false);
  });
});

describe('the HTTP API key', () => {
  const publish = (headers: Record<string, string>, query = '') =>
    http(`/api/publish${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ channel: 'notifications', data: { message: 'x' } }),
    });

  it.each([
    ['no header', {}, ''],
    ['the key in the query string', {}, `?key=${API_KEY}&api_key=${API_KEY}`],
    ['a prefix of the key', { authorization: `Bearer ${API_KEY.slice(0, -1)}` }, ''],
    ['the key plus a character', { authorization: `Bearer ${API_KEY}x` }, ''],
    ['the bare key without a scheme', { authorization: API_KEY }, ''],
    ['Basic auth', { authorization: `Basic ${Buffer.from(`api:${API_KEY}`).toString('base64')}` }, ''],
    ['another header', { 'x-api-key': API_KEY }, ''],
  ])('refuses %s with 401', async (_name, headers: Record<string, string>, query) => {
    const response = await publish(headers, query);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(ErrorCode.Unauthorized);
  });

  it('is refused altogether when the server has no key', async () => {
    const keyless = await startTestServer();
    try {
      const response = await fetch(`${keyless.httpUrl}/api/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' },
        body: JSON.stringify({ channel: 'notifications', data: {} }),
      });
      expect(response.status).toBe(403);
    } finally {
      await keyless.close();
    }
  });
});

describe('the origin allow-list', () => {
  it.each([
    ['no Origin header', undefined],
    ['the null origin', 'null'],
    ['a suffix of an attacker domain', 'http://good.example.evil.com'],
    ['another scheme', 'https://good.example'],
    ['another port', 'http://good.example:8080'],
    ['a different case', 'HTTP://GOOD.EXAMPLE'],
  ])('refuses %s before any frame is sent', async (_name, origin) => {
    const token = await mintToken(SECRET, { sub: 'alice' });
    const client = openWith(`${server.wsUrl}?token=${token}`, origin);
    expect(await client.closed).toBe(1006);
    expect(client.frames).toEqual([]);
  });

  it('accepts the allowed origin exactly', async () => {
    const client = await connectAs({ sub: 'alice' });
    expect(client.frames[0].type).toBe('connection');
  });
});

describe('JWTs signed the wrong way', () => {
  const key = new TextEncoder().encode(SECRET);
  it.each([
    [
      'HS512 with the right secret',
      () => new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('alice').sign(key),
    ],
    [
      'not valid yet (nbf in an hour)',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('alice')
          .setNotBefore(Math.floor(Date.now() / 1000) + 3600)
          .sign(key),
    ],
    [
      'without a subject',
      () => new SignJWT({ name: 'Alice' }).setProtectedHeader({ alg: 'HS256' }).sign(key),
    ],
    [
      'a channels claim that is not a list of strings',
      () =>
        new SignJWT({ channels: 'chat:*' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('alice')
          .sign(key),
    ],
    ['garbage', () => Promise.resolve('not.a.jwt')],
  ])('refuses %s with 4500', async (_name, makeToken) => {
    const client = openWith(`${server.wsUrl}?token=${await makeToken()}`, ORIGIN);
    expect(await client.closed).toBe(CloseCode.Unauthorized);
    expect(client.frames).toEqual([]);
  });
});
