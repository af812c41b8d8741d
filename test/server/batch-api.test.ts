/**
 * `POST /api/batch` on a real server: one answer per publication in batch order, a refused item
 * among good ones, the API key, the bounds, and subscribers seeing every publication in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryEngine } from '../../src/engine/memory/memory-engine.ts';
import { BATCH_BODY_BYTES, MAX_BATCH_PUBLICATIONS } from '../../src/server/http-api.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const API_KEY = 'batch-test-key';

let server: RunningServer | undefined;
const clients: WsTestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function start(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<RunningServer> {
  server = await startTestServer({ apiKey: API_KEY, ...overrides });
  return server;
}

interface BatchReply {
  status: number;
  body: {
    results?: (
      { channel: string; epoch: string; seq: number } | { error: { code: string; message: string } }
    )[];
    error?: { code: string; message: string };
  };
}

async function batch(body: unknown, key = API_KEY): Promise<BatchReply> {
  if (!server) throw new Error('no server');
  const response = await fetch(`${server.httpUrl}/api/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as BatchReply['body'] };
}

async function subscriber(channels: string[]): Promise<WsTestClient> {
  if (!server) throw new Error('no server');
  const client = await WsTestClient.connect(`${server.wsUrl}?name=sub`);
  clients.push(client);
  for (const channel of channels) {
    expect(await client.request({ type: 'subscribe', id: channel, channel })).toMatchObject({
      type: 'subscribed',
    });
  }
  return client;
}

describe('POST /api/batch', () => {
  it('answers each publication in batch order, seqs following the batch per channel', async () => {
    await start();
    const publications = [
      { channel: 'echo:a', data: { n: 1 } },
      { channel: 'echo:b', data: { n: 2 } },
      { channel: 'echo:a', data: { n: 3 } },
      { channel: 'events', data: { n: 4 } },
      { channel: 'echo:b', data: { n: 5 } },
      { channel: 'echo:a', data: { n: 6 } },
    ];
    const { status, body } = await batch({ publications });
    expect(status).toBe(200);
    const epoch = (body.results?.[0] as { epoch: string }).epoch;
    expect(body.results).toEqual([
      { channel: 'echo:a', epoch, seq: 1 },
      { channel: 'echo:b', epoch, seq: 1 },
      { channel: 'echo:a', epoch, seq: 2 },
      { channel: 'events', epoch, seq: 1 },
      { channel: 'echo:b', epoch, seq: 2 },
      { channel: 'echo:a', epoch, seq: 3 },
    ]);
    const history = (await (await fetch(`${server?.httpUrl}/api/history?channel=echo:a`)).json()) as {
      publications: { seq: number; data: unknown }[];
    };
    expect(history.publications.map((p) => p.data)).toEqual([{ n: 1 }, { n: 3 }, { n: 6 }]);
  });

  it('answers a bad item with its error and publishes the others', async () => {
    await start();
    const { status, body } = await batch({
      publications: [
        { channel: 'echo', data: 'first' },
        { channel: 'counter:c', data: { op: 'explode' } }, // refused by the counter app
        { channel: 'nope:x', data: 1 }, // no such namespace
        { channel: 'not a channel!', data: 1 }, // bad name
        { channel: 'echo' }, // no data
        42,
        { channel: 'counter:c', data: { op: 'increment' } },
        { channel: 'echo', data: 'last' },
      ],
    });
    expect(status).toBe(200);
    const results = body.results ?? [];
    expect(results).toHaveLength(8);
    expect(results[0]).toMatchObject({ channel: 'echo', seq: 1 });
    expect(results[1]).toMatchObject({ error: { code: 'bad_request' } });
    expect(results[2]).toMatchObject({ error: { code: 'not_found' } });
    expect(results[3]).toMatchObject({ error: { code: 'bad_request' } });
    expect(results[4]).toMatchObject({ error: { code: 'bad_request' } });
    expect(results[5]).toMatchObject({ error: { code: 'bad_request' } });
    expect(results[6]).toMatchObject({ channel: 'counter:c', seq: 1 });
    expect(results[7]).toMatchObject({ channel: 'echo', seq: 2 });
    for (const r of results) {
      if ('error' in r) expect(r.error.message).not.toBe('');
    }
  });

  it('refuses a missing or wrong API key with 401 and publishes nothing', async () => {
    await start();
    const publications = [{ channel: 'echo', data: 1 }];
    const wrong = await batch({ publications }, 'not-the-key');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('unauthorized');
    const history = await server?.hub.history('echo', {});
    expect(history?.seq).toBe(0);
  });

  it('refuses more than the maximum number of publications, and a body that is not a batch, with 400', async () => {
    await start();
    const tooMany = Array.from({ length: MAX_BATCH_PUBLICATIONS + 1 }, (_, n) => ({
      channel: 'echo',
      data: n,
    }));
    const refused = await batch({ publications: tooMany });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe('bad_request');
    expect((await server?.hub.history('echo', {}))?.seq).toBe(0);
    expect((await batch({ channel: 'echo', data: 1 })).status).toBe(400);
    expect((await batch('{"publications": [')).status).toBe(400);
    const full = await batch({ publications: tooMany.slice(0, MAX_BATCH_PUBLICATIONS) });
    expect(full.status).toBe(200);
    expect(full.body.results?.at(-1)).toMatchObject({ seq: MAX_BATCH_PUBLICATIONS });
  });

  it('takes a body larger than one frame, but no publication larger than one', async () => {
    await start({ maxFrameBytes: 1024, maxQueuedBytes: 1024 * 1024 });
    const small = Array.from({ length: 20 }, (_, n) => ({
      channel: 'echo',
      data: { n, pad: 'x'.repeat(100) },
    }));
    const { status, body } = await batch({
      publications: [...small.slice(0, 10), { channel: 'echo', data: 'y'.repeat(2000) }, ...small.slice(10)],
    });
    expect(status).toBe(200);
    expect(body.results?.[10]).toMatchObject({ error: { code: 'too_large' } });
    expect(body.results?.filter((r) => 'seq' in r)).toHaveLength(20);
    const huge = await batch({ publications: [{ channel: 'echo', data: 'z'.repeat(BATCH_BODY_BYTES) }] });
    expect(huge.status).toBe(413);
    expect(huge.body.error?.code).toBe('too_large');
  });

  it('delivers every publication to every subscriber, in batch order per channel', async () => {
    await start();
    const subscribers = await Promise.all([
      subscriber(['echo:a', 'echo:b']),
      subscriber(['echo:a', 'echo:b']),
      subscriber(['echo:b']),
    ]);
    const publications = Array.from({ length: 300 }, (_, n) => ({
      channel: n % 3 === 0 ? 'echo:a' : 'echo:b',
      data: { n },
    }));
    const { status, body } = await batch({ publications });
    expect(status).toBe(200);
    expect(body.results?.every((r) => 'seq' in r)).toBe(true);
    const expected = (channel: string) =>
      publications.filter((p) => p.channel === channel).map((p) => p.data);
    for (const [index, client] of subscribers.entries()) {
      const channels = index === 2 ? ['echo:b'] : ['echo:a', 'echo:b'];
      for (const channel of channels) {
        const count = expected(channel).length;
        await client.nextPublication((p) => p.channel === channel && p.seq === count);
        const received = client.publications(channel);
        expect(received.map((p) => p.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        expect(received.map((p) => p.data)).toEqual(expected(channel));
      }
      if (index === 2) expect(client.publications('echo:a')).toEqual([]);
    }
  });

  it('stops a channel at an engine failure (the rest answered unavailable), other channels go on', async () => {
    const engine = new MemoryEngine();
    const publish = engine.broker.publish.bind(engine.broker);
    let echoCalls = 0;
    engine.broker.publish = (channel, data, options, from) => {
      if (channel === 'echo:down' && ++echoCalls === 2) return Promise.reject(new Error('engine down'));
      return publish(channel, data, options, from);
    };
    await start({ engine });
    const { status, body } = await batch({
      publications: [
        { channel: 'echo:down', data: 1 },
        { channel: 'echo:up', data: 1 },
        { channel: 'echo:down', data: 2 },
        { channel: 'echo:up', data: 2 },
        { channel: 'echo:down', data: 3 },
      ],
    });
    expect(status).toBe(200);
    expect(body.results).toMatchObject([
      { channel: 'echo:down', seq: 1 },
      { channel: 'echo:up', seq: 1 },
      { error: { code: 'unavailable' } },
      { channel: 'echo:up', seq: 2 },
      { error: { code: 'unavailable' } },
    ]);
    expect(echoCalls).toBe(2); // the third was not tried, so a retry from the failure keeps the order
    await server?.close();
    server = undefined;
    await engine.close();
  });
});
