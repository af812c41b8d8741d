/** Subscribe, publish, fan-out, unsubscribe and ordering over real sockets. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

let server: RunningServer;
const clients: WsTestClient[] = [];

async function connect(name = 'tester'): Promise<WsTestClient> {
  const client = await WsTestClient.connect(`${server.wsUrl}?name=${encodeURIComponent(name)}`);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

describe('channels', () => {
  it('greets with a connection frame carrying the client id, name and count', async () => {
    const client = WsTestClient.open(`${server.wsUrl}?name=Ada`);
    clients.push(client);
    const hello = await client.next('connection');
    expect(hello.message).toBe('Connected to server');
    expect(hello.client_id).toMatch(/^[\w-]{8,}$/);
    expect(hello.user.name).toBe('Ada');
    expect(hello.client_count).toBe(1);
  });

  it('fans a publication out to every subscriber, in seq order, and stops after unsubscribe', async () => {
    const subscribers = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(`s${i}`)));
    for (const s of subscribers) {
      const reply = await s.request({ type: 'subscribe', id: 'sub', channel: 'echo' });
      expect(reply).toMatchObject({ type: 'subscribed', channel: 'echo', seq: 0, recovered: false });
    }
    const publisher = await connect('pub');
    for (let i = 1; i <= 5; i += 1) {
      const ack = await publisher.request({ type: 'publish', id: `p${i}`, channel: 'echo', data: { n: i } });
      expect(ack).toMatchObject({ type: 'ack', channel: 'echo', seq: i });
    }
    for (const s of subscribers) {
      await s.nextPublication((p) => p.seq === 5);
      const pubs = s.publications('echo');
      expect(pubs.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(pubs.map((p) => p.data)).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
      expect(pubs[0].from?.name).toBe('pub');
      expect(Date.parse(pubs[0].timestamp)).toBeGreaterThan(Date.now() - 10_000);
    }
    const [first] = subscribers;
    expect(await first.request({ type: 'unsubscribe', id: 'u', channel: 'echo' })).toMatchObject({
      type: 'unsubscribed',
    });
    await publisher.request({ type: 'publish', id: 'p6', channel: 'echo', data: { n: 6 } });
    await subscribers[1].nextPublication((p) => p.seq === 6);
    expect(first.publications('echo').map((p) => p.seq)).not.toContain(6);
  });

  it('answers the JSON ping with a pong', async () => {
    const client = await connect();
    expect(await client.request({ type: 'ping', id: 'x' })).toEqual({ type: 'pong', id: 'x' });
  });

  it('returns the snapshot of latest-value channels on subscribe', async () => {
    await server.hub.publish('stocks', { quotes: [{ symbol: 'ACME', price: 10 }] });
    await server.hub.publish('stocks', { quotes: [{ symbol: 'ACME', price: 11 }] });
    const client = await connect();
    const reply = await client.request({ type: 'subscribe', id: 's', channel: 'stocks' });
    expect(reply).toMatchObject({
      type: 'subscribed',
      seq: 2,
      latest: true,
      snapshot: { quotes: [{ symbol: 'ACME', price: 11 }] },
    });
  });

  it('keeps a shared counter exact under concurrent increments and decrements', async () => {
    const a = await connect('a');
    const b = await connect('b');
    const reply = await a.request({ type: 'subscribe', id: 's', channel: 'counter:test' });
    expect(reply).toMatchObject({ snapshot: { value: 0 } });
    const sends = [];
    for (let i = 0; i < 30; i += 1) {
      sends.push(
        a.request({ type: 'publish', id: `a${i}`, channel: 'counter:test', data: { op: 'increment' } }),
      );
      sends.push(
        b.request({ type: 'publish', id: `b${i}`, channel: 'counter:test', data: { op: 'increment' } }),
      );
    }
    sends.push(b.request({ type: 'publish', id: 'd', channel: 'counter:test', data: { op: 'decrement' } }));
    await Promise.all(sends);
    const last = await a.nextPublication((p) => p.seq === 61);
    expect(last.data).toEqual({ value: 59 });
    const late = await connect('late');
    expect(await late.request({ type: 'subscribe', id: 's', channel: 'counter:test' })).toMatchObject({
      snapshot: { value: 59 },
    });
  });

  it('gives late joiners the whole whiteboard, and clear empties it for everyone', async () => {
    const artist = await connect('artist');
    const stroke = {
      op: 'stroke',
      points: [
        [0, 0],
        [10, 10],
      ],
      color: '#ff0000',
      size: 3,
    };
    await artist.request({ type: 'publish', id: '1', channel: 'board:b', data: stroke });
    await artist.request({
      type: 'publish',
      id: '2',
      channel: 'board:b',
      data: { ...stroke, color: '#00ff00' },
    });
    const late = await connect('late');
    const reply = await late.request({ type: 'subscribe', id: 's', channel: 'board:b' });
    expect(reply).toMatchObject({ snapshot: [stroke, { ...stroke, color: '#00ff00' }] });
    await artist.request({ type: 'publish', id: '3', channel: 'board:b', data: { op: 'clear' } });
    expect((await late.next('publication')).data).toEqual({ op: 'clear' });
    const later = await connect('later');
    expect(await later.request({ type: 'subscribe', id: 's', channel: 'board:b' })).toMatchObject({
      snapshot: [],
    });
  });
});
