/**
 * The hub asking the application's backend (a real HTTP server): connect, subscribe, publish and RPC
 * proxies, every reply shape, and a backend that is slow, failing, unreadable or gone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from '../../src/protocol/codes.ts';
import { resolveConfig } from '../../src/server/config.ts';
import { mintToken } from '../../src/server/identity.ts';
import { startTestBackend, type TestBackend } from '../helpers/backend-server.ts';
import { scrapeMetric } from '../helpers/scrape-metric.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const ORIGIN = 'http://app.example';
const secret = 'test-secret-that-is-long-enough-for-hs256';
let backend: TestBackend;
let server: RunningServer;
const clients: WsTestClient[] = [];

function resetHandlers(): void {
  // A backend that lets everyone in as the user named by ?as=.
  backend.on('/connect', ({ body }) => {
    const query = (body as { query: Record<string, string> }).query;
    return { json: { result: { user: query.as ?? 'u1', name: `User ${query.as ?? 'u1'}` } } };
  });
  backend.on('/subscribe', () => ({ json: { result: {} } }));
  backend.on('/publish', () => ({ json: { result: {} } }));
}

beforeAll(async () => {
  backend = await startTestBackend();
  resetHandlers();
  server = await startTestServer({
    jwtSecret: secret,
    connectProxyUrl: backend.url('/connect'),
    subscribeProxyUrl: backend.url('/subscribe'),
    publishProxyUrl: backend.url('/publish'),
    rpcProxyUrl: backend.url('/rpc'),
    proxyTimeoutMs: 400,
    proxyMaxInFlight: 4,
    allowedOrigins: [ORIGIN],
    namespaces: {
      orders: { client_publish: true, presence: true, subscribe_proxy: true, publish_proxy: true },
      chat: { publish_proxy: true },
    },
  });
});
afterAll(async () => {
  await server.close();
  await backend.stop();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  backend.requests.length = 0;
  resetHandlers();
  await backend.start();
});

function open(query = '', headers: Record<string, string> = {}): WsTestClient {
  const client = WsTestClient.open(`${server.wsUrl}?${query}`, { headers: { origin: ORIGIN, ...headers } });
  clients.push(client);
  return client;
}

async function connect(query = 'as=u1', headers: Record<string, string> = {}): Promise<WsTestClient> {
  const client = open(query, headers);
  await client.next('connection');
  return client;
}

function metric(series: string): Promise<number> {
  return scrapeMetric(server.httpUrl, series);
}

describe('connect proxy', () => {
  it('lets the backend name the user, and tells it only the allow-listed headers', async () => {
    backend.on('/connect', () => ({
      json: { result: { user: '42', name: 'Ada', info: { plan: 'pro' } } },
    }));
    const client = open('as=ignored&token=', { cookie: 'session=abc', 'x-internal': 'secret' });
    const hello = await client.next('connection');
    expect(hello.user).toMatchObject({ name: 'Ada', user: '42', info: { plan: 'pro' } });
    const [call] = backend.calls('/connect');
    const body = call.body as Record<string, unknown>;
    expect(body).toMatchObject({
      client: hello.client_id,
      transport: 'websocket',
      headers: { cookie: 'session=abc', origin: ORIGIN },
      query: { as: 'ignored' },
    });
    expect(body.remote_addr).toMatch(/127\.0\.0\.1/);
    expect(body.headers).not.toHaveProperty('x-internal');
    expect(body.query).not.toHaveProperty('token');
    expect(call.headers['x-trendstream-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not ask the backend when a valid JWT already decided', async () => {
    const token = await mintToken(secret, { sub: 'alice' });
    const hello = await connect(`token=${token}`);
    expect(hello.frames[0]).toMatchObject({ user: { user: 'alice' } });
    expect(backend.calls('/connect')).toHaveLength(0);
  });

  it('subscribes the connection to the channels the backend names, without it asking', async () => {
    backend.on('/connect', () => ({
      json: { result: { user: '42', channels: ['notifications#42', 'chat:lobby'] } },
    }));
    const client = await connect();
    const subscribed = [
      await client.next((f) => f.type === 'subscribed' && f.channel === 'notifications#42'),
      await client.next((f) => f.type === 'subscribed' && f.channel === 'chat:lobby'),
    ];
    for (const frame of subscribed) expect(frame).toMatchObject({ server_side: true });
    await server.hub.publish('notifications#42', { title: 'hi', body: 'for 42', level: 'info' });
    const publication = await client.nextPublication((p) => p.channel === 'notifications#42');
    expect(publication.data).toMatchObject({ title: 'hi' });
  });

  it('resumes server-side subscriptions from ?recover= on a reconnect', async () => {
    backend.on('/connect', () => ({ json: { result: { user: '42', channels: ['notifications#42'] } } }));
    const first = await connect();
    const subscribed = await first.next('subscribed');
    const missed = await server.hub.publish('notifications#42', { title: 'a', body: 'b', level: 'info' });
    await first.nextPublication(() => true);
    first.close();
    await first.closed;
    const since = { epoch: subscribed.epoch, seq: subscribed.seq };
    const second = await connect(
      `recover=${encodeURIComponent(JSON.stringify({ 'notifications#42': since }))}`,
    );
    const resumed = await second.next('subscribed');
    expect(resumed).toMatchObject({ recovered: true, server_side: true, seq: missed.seq });
    const replayed = await second.nextPublication(() => true);
    expect(replayed.seq).toBe(missed.seq);
  });

  it('closes with 4003 at expire_at, so the client reconnects and the backend is asked again', async () => {
    backend.on('/connect', () => ({
      json: { result: { user: '42', expire_at: Math.floor(Date.now() / 1000) + 1 } },
    }));
    const client = await connect();
    expect(await client.closed).toBe(CloseCode.ConnectionExpired);
  });

  it('refuses at once, before any connection frame, when expire_at has already passed', async () => {
    backend.on('/connect', () => ({ json: { result: { user: '42', expire_at: 1 } } }));
    const client = open();
    expect(await client.closed).toBe(CloseCode.ConnectionExpired);
    expect(client.frames).toEqual([]);
  });

  it('names the channel of a server-side subscription that fails', async () => {
    backend.on('/connect', () => ({ json: { result: { user: '42', channels: ['nowhere:1', 'chat:ok'] } } }));
    const client = await connect();
    expect(await client.next('error')).toMatchObject({ code: ErrorCode.NotFound, channel: 'nowhere:1' });
    expect(await client.next('subscribed')).toMatchObject({ channel: 'chat:ok', server_side: true });
  });

  it.each([
    ['an error', { json: { error: { code: 4501, message: 'session expired' } } }, 4501, 'session expired'],
    [
      'an error with a code outside the close range',
      { json: { error: { code: 7, message: 'no' } } },
      4500,
      'no',
    ],
    ['a disconnect', { json: { disconnect: { code: 4502, reason: 'banned' } } }, 4502, 'banned'],
  ])('refuses when the backend answers %s', async (_name, reply, code, reason) => {
    backend.on('/connect', () => reply);
    const client = open();
    expect(await client.closed).toBe(code);
    expect(client.closeReason).toBe(reason);
  });

  it.each([
    ['answers 500', { status: 500, text: 'oops' }, 'status'],
    ['answers something that is not JSON', { text: '<html>' }, 'bad_reply'],
    ['answers JSON of the wrong shape', { json: { result: { name: 'no user' } } }, undefined],
    ['is slower than the proxy timeout', { delayMs: 700, json: { result: { user: 'late' } } }, 'timeout'],
  ])('closes with 1013 (try again later) when the backend %s', async (_name, reply, result) => {
    const before = result
      ? await metric(`trendstream_proxy_calls_total{proxy="connect",result="${result}"}`)
      : 0;
    backend.on('/connect', () => reply);
    const client = open();
    expect(await client.closed).toBe(CloseCode.TryAgainLater);
    if (result) {
      expect(await metric(`trendstream_proxy_calls_total{proxy="connect",result="${result}"}`)).toBe(
        before + 1,
      );
    }
  });

  it('survives a backend restart: refused with 1013 while it is down, accepted once it is back', async () => {
    await backend.stop();
    const refused = open();
    expect(await refused.closed).toBe(CloseCode.TryAgainLater);
    await backend.start();
    const back = await connect('as=back');
    expect(back.frames[0]).toMatchObject({ type: 'connection', user: { user: 'back' } });
  });

  it('a slow backend holds up neither other clients nor the event loop; calls beyond the bound fail at once', async () => {
    const token = await mintToken(secret, { sub: 'bob' });
    const direct = await connect(`token=${token}`);
    backend.on('/connect', () => ({ delayMs: 350, json: { result: { user: 'slow' } } }));
    const slow = Array.from({ length: 4 }, () => open());
    await new Promise((r) => setTimeout(r, 50)); // the four calls are in flight
    const started = Date.now();
    const overflow = open();
    expect(await overflow.closed).toBe(CloseCode.TryAgainLater);
    expect(Date.now() - started).toBeLessThan(300);
    const pong = await direct.request({ type: 'ping', id: 'p1' });
    expect(pong.type).toBe('pong');
    for (const client of slow) await client.next('connection');
  });
});

describe('origin rule with cookies', () => {
  it('will not start a cookie-forwarding connect proxy without an origin allow-list', () => {
    expect(() => resolveConfig({ connectProxyUrl: 'http://127.0.0.1:1/connect' })).toThrow(
      /--allowed-origins/,
    );
    expect(() =>
      resolveConfig({ connectProxyUrl: 'http://127.0.0.1:1/connect', proxyHeaders: ['authorization'] }),
    ).not.toThrow();
    expect(() =>
      resolveConfig({ connectProxyUrl: 'http://127.0.0.1:1/connect', insecureAnyOrigin: true }),
    ).not.toThrow();
  });

  it('refuses a cross-origin upgrade before the backend is asked', async () => {
    const client = WsTestClient.open(server.wsUrl, {
      headers: { origin: 'http://evil.example', cookie: 's=1' },
    });
    clients.push(client);
    await client.closed;
    expect(client.closeCode).toBe(1006); // HTTP 403, no WebSocket
    expect(backend.calls('/connect')).toHaveLength(0);
  });
});

describe('subscribe proxy', () => {
  it('asks before a subscribe to its namespace, with the client, user, channel and data', async () => {
    const client = await connect('as=ann');
    const reply = await client.request({
      type: 'subscribe',
      id: 's1',
      channel: 'orders:7',
      data: { why: 'tracking' },
    });
    expect(reply).toMatchObject({ type: 'subscribed', channel: 'orders:7' });
    expect(backend.calls('/subscribe')[0].body).toEqual({
      client: client.frames[0].type === 'connection' ? client.frames[0].client_id : '',
      user: 'ann',
      channel: 'orders:7',
      data: { why: 'tracking' },
    });
    // Namespaces without the switch are not asked.
    await client.request({ type: 'subscribe', id: 's2', channel: 'chat:lobby' });
    expect(backend.calls('/subscribe')).toHaveLength(1);
  });

  it('attaches the info the backend gives to the presence entry', async () => {
    backend.on('/subscribe', () => ({ json: { result: { info: { role: 'courier' } } } }));
    const client = await connect('as=cat');
    await client.request({ type: 'subscribe', id: 's1', channel: 'orders:8' });
    const presence = await client.request({ type: 'presence', id: 'p1', channel: 'orders:8' });
    expect(presence).toMatchObject({ clients: [{ user: 'cat', info: { role: 'courier' } }] });
  });

  it('answers a refusal with an error frame carrying the backend code, and stays unsubscribed', async () => {
    backend.on('/subscribe', () => ({ json: { error: { code: 403, message: 'not your order' } } }));
    const client = await connect();
    const reply = await client.request({ type: 'subscribe', id: 's1', channel: 'orders:9' });
    expect(reply).toEqual({
      type: 'error',
      id: 's1',
      code: ErrorCode.Refused,
      message: 'not your order',
      backend_code: 403,
    });
    const again = await client.request({ type: 'unsubscribe', id: 'u1', channel: 'orders:9' });
    expect(again).toMatchObject({ type: 'error', code: ErrorCode.NotSubscribed });
  });

  it('answers unavailable when the backend fails, and the connection lives on', async () => {
    backend.on('/subscribe', () => ({ status: 503, text: 'down' }));
    const client = await connect();
    const reply = await client.request({ type: 'subscribe', id: 's1', channel: 'orders:10' });
    expect(reply).toMatchObject({ type: 'error', code: ErrorCode.Unavailable });
    expect((await client.request({ type: 'ping', id: 'p' })).type).toBe('pong');
  });
});

describe('publish proxy', () => {
  it('stores the publication as sent when the backend accepts it', async () => {
    const client = await connect('as=dan');
    await client.request({ type: 'subscribe', id: 's', channel: 'orders:11' });
    const ack = await client.request({ type: 'publish', id: 'p', channel: 'orders:11', data: { qty: 2 } });
    expect(ack.type).toBe('ack');
    const publication = await client.nextPublication((p) => p.channel === 'orders:11');
    expect(publication.data).toEqual({ qty: 2 });
    expect(publication.from).toMatchObject({ user: 'dan' });
    expect(backend.calls('/publish')[0].body).toMatchObject({
      user: 'dan',
      channel: 'orders:11',
      data: { qty: 2 },
    });
  });

  it("stores the backend's version instead (moderation, a database id)", async () => {
    backend.on('/publish', ({ body }) => {
      const data = (body as { data: { text: string } }).data;
      return { json: { result: { data: { ...data, text: data.text.replace('darn', '****') } } } };
    });
    const client = await connect('as=eve');
    await client.request({ type: 'subscribe', id: 's', channel: 'chat:mod' });
    await client.request({ type: 'publish', id: 'p', channel: 'chat:mod', data: { text: 'darn it' } });
    const publication = await client.nextPublication((p) => p.channel === 'chat:mod');
    expect(publication.data).toMatchObject({ text: '**** it' });
  });

  it("still applies the namespace's own rules to the backend's version", async () => {
    backend.on('/publish', () => ({ json: { result: { data: { text: 42 } } } }));
    const client = await connect();
    const reply = await client.request({
      type: 'publish',
      id: 'p',
      channel: 'chat:rules',
      data: { text: 'ok' },
    });
    expect(reply).toMatchObject({ type: 'error', code: ErrorCode.BadRequest });
  });

  it('stores nothing when the backend refuses', async () => {
    backend.on('/publish', () => ({ json: { error: { code: 'spam', message: 'looks like spam' } } }));
    const client = await connect();
    const reply = await client.request({ type: 'publish', id: 'p', channel: 'orders:12', data: { x: 1 } });
    expect(reply).toMatchObject({ type: 'error', code: ErrorCode.Refused, backend_code: 'spam' });
    const history = await server.hub.history('orders:12', {});
    expect(history.publications).toHaveLength(0);
  });
});

describe('rpc proxy', () => {
  it("answers with the backend's data over the same socket", async () => {
    backend.on('/rpc', ({ body }) => ({ json: { result: { data: { saved: body } } } }));
    const client = await connect('as=fay');
    const reply = await client.request({ type: 'rpc', id: 'r7', method: 'save', data: { n: 1 } });
    expect(reply).toEqual({
      type: 'rpc_result',
      id: 'r7',
      data: { saved: { client: expect.any(String) as unknown, user: 'fay', method: 'save', data: { n: 1 } } },
    });
  });

  it('answers an error frame with the same id when the backend refuses or fails', async () => {
    backend.on('/rpc', () => ({ json: { error: { code: 1001, message: 'no such order' } } }));
    const client = await connect();
    expect(await client.request({ type: 'rpc', id: 'r1', method: 'm' })).toMatchObject({
      type: 'error',
      id: 'r1',
      code: ErrorCode.Refused,
      backend_code: 1001,
    });
    backend.on('/rpc', () => ({ text: 'not json' }));
    expect(await client.request({ type: 'rpc', id: 'r2', method: 'm' })).toMatchObject({
      type: 'error',
      id: 'r2',
      code: ErrorCode.Unavailable,
    });
  });

  it('is not_found on a server without an RPC proxy', async () => {
    const plain = await startTestServer();
    try {
      const client = await WsTestClient.connect(plain.wsUrl);
      clients.push(client);
      expect(await client.request({ type: 'rpc', id: 'r', method: 'm' })).toMatchObject({
        code: ErrorCode.NotFound,
      });
    } finally {
      await plain.close();
    }
  });
});
