/** Bad input gets a documented error frame or close code; the server keeps serving everyone else. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from '../../src/protocol/codes.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

let server: RunningServer;
let bystander: WsTestClient;
const clients: WsTestClient[] = [];

async function connect(): Promise<WsTestClient> {
  const client = await WsTestClient.connect(server.wsUrl);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  server = await startTestServer({ maxFrameBytes: 4096, rateLimitPerSecond: 20, rateLimitBurst: 40 });
  bystander = await connect();
  await bystander.request({ type: 'subscribe', id: 's', channel: 'echo' });
});
afterEach(async () => {
  // Whatever the test did, the bystander still gets publications.
  const n = await server.hub.publish('echo', { still: 'serving' });
  await bystander.next((f) => f.type === 'publication' && f.seq === n.seq);
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

describe('error frames', () => {
  it.each([
    ['not json', '{"type":', ErrorCode.InvalidJson, undefined],
    ['not an object', '[1,2]', ErrorCode.BadRequest, undefined],
    ['no type', '{"id":"a"}', ErrorCode.BadRequest, 'a'],
    ['unknown type', '{"type":"explode","id":"b"}', ErrorCode.UnknownType, 'b'],
    ['missing channel', '{"type":"subscribe","id":"c"}', ErrorCode.BadRequest, 'c'],
    ['bad channel name', '{"type":"subscribe","id":"d","channel":"no spaces"}', ErrorCode.BadRequest, 'd'],
    ['unknown namespace', '{"type":"subscribe","id":"e","channel":"nope"}', ErrorCode.NotFound, 'e'],
    ['chat without room', '{"type":"subscribe","id":"f","channel":"chat"}', ErrorCode.NotFound, 'f'],
    [
      'negative seq',
      '{"type":"subscribe","id":"g","channel":"echo","since":{"epoch":"x","seq":-1}}',
      ErrorCode.BadRequest,
      'g',
    ],
    [
      'publish to a server feed',
      '{"type":"publish","id":"h","channel":"trends","data":{}}',
      ErrorCode.Forbidden,
      'h',
    ],
    [
      'bad counter op',
      '{"type":"publish","id":"i","channel":"counter:x","data":{"op":"double"}}',
      ErrorCode.BadRequest,
      'i',
    ],
    [
      'bad stroke',
      '{"type":"publish","id":"j","channel":"board:x","data":{"op":"stroke","points":"x"}}',
      ErrorCode.BadRequest,
      'j',
    ],
    [
      'empty chat',
      '{"type":"publish","id":"k","channel":"chat:x","data":{"text":"  "}}',
      ErrorCode.BadRequest,
      'k',
    ],
    [
      'prototype keys',
      '{"type":"publish","id":"l","channel":"counter:x","data":{"__proto__":{"op":"increment"}}}',
      ErrorCode.BadRequest,
      'l',
    ],
    ['unsubscribe unknown', '{"type":"unsubscribe","id":"m","channel":"echo"}', ErrorCode.NotSubscribed, 'm'],
    [
      'deep nesting',
      `{"type":"publish","id":"n","channel":"echo","data":${'['.repeat(100)}${']'.repeat(100)}}`,
      ErrorCode.BadRequest,
      'n',
    ],
  ])('%s', async (_name, raw, code, id) => {
    const client = await connect();
    client.send(raw);
    const error = await client.next('error');
    expect(error.code).toBe(code);
    expect(error.id).toBe(id);
    expect(error.message.length).toBeGreaterThan(5);
    // The connection stays usable.
    expect(await client.request({ type: 'ping', id: 'after' })).toEqual({ type: 'pong', id: 'after' });
  });

  it('refuses binary frames with an error frame', async () => {
    const client = await connect();
    client.ws.send(Buffer.from([1, 2, 3]));
    expect(await client.next('error')).toMatchObject({ code: ErrorCode.BadRequest });
  });

  it('refuses a second subscription to the same channel', async () => {
    const client = await connect();
    await client.request({ type: 'subscribe', id: '1', channel: 'echo' });
    expect(await client.request({ type: 'subscribe', id: '2', channel: 'echo' })).toMatchObject({
      code: ErrorCode.AlreadySubscribed,
    });
  });
});

describe('limits', () => {
  it('closes a connection that sends an oversize frame with 1009', async () => {
    const client = await connect();
    client.send({ type: 'publish', id: 'big', channel: 'echo', data: 'x'.repeat(10_000) });
    expect(await client.closed).toBe(CloseCode.MessageTooBig);
  });

  it('drops frames past the rate limit with rate_limited, then cuts a flood with 4001', async () => {
    const client = await connect();
    for (let i = 0; i < 60; i += 1) client.send({ type: 'ping', id: `p${i}` });
    const error = await client.next('error');
    expect(error.code).toBe(ErrorCode.RateLimited);
    const pongs = client.frames.filter((f) => f.type === 'pong').length;
    expect(pongs).toBeGreaterThanOrEqual(39);
    expect(pongs).toBeLessThanOrEqual(45);
    for (let i = 0; i < 300; i += 1) client.send({ type: 'ping' });
    expect(await client.closed).toBe(CloseCode.RateLimitExceeded);
  });

  it('keeps a publish that was acknowledged even if the sender floods afterwards', async () => {
    const client = await connect();
    const ack = await client.request({ type: 'publish', id: 'keep', channel: 'echo', data: { keep: true } });
    for (let i = 0; i < 400; i += 1) client.send('garbage');
    await client.closed;
    const history = await server.hub.history('echo', { limit: 10 });
    expect(history.publications.some((p) => p.seq === (ack as { seq: number }).seq)).toBe(true);
  });
});

describe('rules on every publish path', () => {
  it('applies the counter rules to the HTTP publish API too', async () => {
    await server.close();
    server = await startTestServer({ apiKey: 'k' });
    bystander = await WsTestClient.connect(server.wsUrl);
    clients.push(bystander);
    await bystander.request({ type: 'subscribe', id: 's', channel: 'echo' });
    const post = (data: unknown) =>
      fetch(`${server.httpUrl}/api/publish`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'counter:http', data }),
      });
    expect((await post({ op: 'increment' })).status).toBe(200);
    expect((await post({ op: 'explode' })).status).toBe(400);
    const client = await connect();
    expect(await client.request({ type: 'subscribe', id: 's', channel: 'counter:http' })).toMatchObject({
      snapshot: { value: 1 },
    });
  });

  it('answers every rate-limited request that carries an id', async () => {
    const client = await connect();
    for (let i = 0; i < 60; i += 1) client.send({ type: 'ping', id: `p${i}` });
    for (let i = 0; i < 60; i += 1) await client.next((f) => 'id' in f && f.id === `p${i}`);
    const limited = client.frames.filter((f) => f.type === 'error' && f.code === ErrorCode.RateLimited);
    expect(limited.length).toBeGreaterThanOrEqual(15);
  });
});
