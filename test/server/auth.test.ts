/** JWT on the WebSocket, user-limited channels, channel claims, the API key and the origin allow-list. */
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mintToken } from '../../src/server/identity.ts';
import { CloseCode, ErrorCode } from '../../src/protocol/codes.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const secret = 'test-secret-that-is-long-enough-for-hs256';
let server: RunningServer;
const clients: WsTestClient[] = [];

beforeEach(async () => {
  server = await startTestServer({
    jwtSecret: secret,
    apiKey: 'k3y',
    allowedOrigins: ['http://good.example'],
  });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

function open(query: string, origin = 'http://good.example'): WsTestClient {
  const client = WsTestClient.open(`${server.wsUrl}?${query}`, { headers: { origin } });
  clients.push(client);
  return client;
}

describe('JWT', () => {
  it('accepts a valid token and takes the identity from it, not from ?name=', async () => {
    const token = await mintToken(secret, { sub: 'alice', name: 'Alice', ttlSeconds: 60 });
    const client = open(`token=${token}&name=Mallory`);
    const hello = await client.next('connection');
    expect(hello.user).toMatchObject({ name: 'Alice', user: 'alice' });
  });

  it.each([
    ['no token', () => Promise.resolve('')],
    ['wrong secret', () => mintToken('another-secret-another-secret-123', { sub: 'alice' })],
    [
      'expired',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('a')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
          .sign(new TextEncoder().encode(secret)),
    ],
    [
      'alg none',
      () =>
        Promise.resolve(
          `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"alice"}').toString('base64url')}.`,
        ),
    ],
    [
      'tampered',
      async () => {
        const [h, , s] = (await mintToken(secret, { sub: 'bob' })).split('.');
        return `${h}.${Buffer.from('{"sub":"alice"}').toString('base64url')}.${s}`;
      },
    ],
  ])('refuses %s with a terminal close code', async (_name, makeToken) => {
    const client = open(`token=${await makeToken()}`);
    const code = await client.closed;
    expect([CloseCode.Unauthorized, CloseCode.TokenExpired]).toContain(code);
    expect(client.frames.find((f) => f.type === 'connection')).toBeUndefined();
  });

  it('lets only the owner subscribe to a user-limited channel', async () => {
    const alice = open(`token=${await mintToken(secret, { sub: 'alice' })}`);
    const bob = open(`token=${await mintToken(secret, { sub: 'bob' })}`);
    await alice.next('connection');
    await bob.next('connection');
    expect(await alice.request({ type: 'subscribe', id: 's', channel: 'notifications#alice' })).toMatchObject(
      {
        type: 'subscribed',
      },
    );
    expect(await bob.request({ type: 'subscribe', id: 's', channel: 'notifications#alice' })).toMatchObject({
      code: ErrorCode.Forbidden,
    });
    const res = await fetch(`${server.httpUrl}/api/publish`, {
      method: 'POST',
      headers: { authorization: 'Bearer k3y', 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'notifications#alice', data: { message: 'for alice' } }),
    });
    expect(res.status).toBe(200);
    expect((await alice.next('publication')).data).toEqual({ message: 'for alice' });
  });

  it('enforces the channels claim', async () => {
    const client = open(`token=${await mintToken(secret, { sub: 'c', channels: ['chat:*'] })}`);
    await client.next('connection');
    expect(await client.request({ type: 'subscribe', id: '1', channel: 'chat:lobby' })).toMatchObject({
      type: 'subscribed',
    });
    expect(await client.request({ type: 'subscribe', id: '2', channel: 'trends' })).toMatchObject({
      code: ErrorCode.Forbidden,
    });
  });
});

describe('origin allow-list', () => {
  it('refuses a cross-origin upgrade', async () => {
    const client = open(`token=${await mintToken(secret, { sub: 'a' })}`, 'http://evil.example');
    expect(await client.closed).toBe(1006);
    expect(client.frames).toEqual([]);
  });
});

describe('HTTP publish API', () => {
  const post = (headers: Record<string, string>, body: unknown) =>
    fetch(`${server.httpUrl}/api/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('refuses a missing or wrong key with 401', async () => {
    expect((await post({}, { channel: 'notifications', data: {} })).status).toBe(401);
    expect(
      (await post({ authorization: 'Bearer nope' }, { channel: 'notifications', data: {} })).status,
    ).toBe(401);
  });

  it('publishes with the key and validates the body', async () => {
    const ok = await post(
      { authorization: 'Bearer k3y' },
      { channel: 'notifications', data: { message: 'hi' } },
    );
    expect(await ok.json()).toMatchObject({ channel: 'notifications', seq: 1 });
    const bad = await post({ authorization: 'Bearer k3y' }, { channel: 'nope', data: {} });
    expect(bad.status).toBe(404);
    const malformed = await post({ authorization: 'Bearer k3y' }, { data: {} });
    expect(malformed.status).toBe(400);
  });
});
