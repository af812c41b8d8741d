/**
 * Two and three TrendStream nodes on one real redis-server, with real WebSocket clients landing on
 * different nodes: fan-out across nodes, recovery from node A to node B, presence and the client
 * count across nodes, and an exact counter under concurrent increments from every node.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PublicationFrame } from '../../src/protocol/frames.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';
import { closeCluster, startCluster, type ClusterNode } from './cluster-helpers.ts';

let redis: RedisServer;
let nodes: ClusterNode[] = [];
const clients: WsTestClient[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await closeCluster(nodes);
});

async function connect(node: ClusterNode, name: string): Promise<WsTestClient> {
  const client = await WsTestClient.connect(`${node.server.wsUrl}?name=${encodeURIComponent(name)}`);
  clients.push(client);
  return client;
}

let requests = 0;
function requestId(): string {
  requests += 1;
  return `r${requests}`;
}

async function subscribe(client: WsTestClient, channel: string, since?: { epoch: string; seq: number }) {
  const reply = await client.request({
    type: 'subscribe',
    id: requestId(),
    channel,
    ...(since ? { since } : {}),
  });
  if (reply.type !== 'subscribed') throw new Error(`subscribe failed: ${JSON.stringify(reply)}`);
  return reply;
}

async function publish(client: WsTestClient, channel: string, data: unknown) {
  const reply = await client.request({ type: 'publish', id: requestId(), channel, data });
  if (reply.type !== 'ack') throw new Error(`publish failed: ${JSON.stringify(reply)}`);
  return reply;
}

async function waitForPublications(client: WsTestClient, channel: string, count: number, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (client.publications(channel).length < count) {
    if (Date.now() > deadline) {
      throw new Error(
        `${count} publications on ${channel} expected, got ${client.publications(channel).length}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return client.publications(channel);
}

const texts = (publications: PublicationFrame[]) =>
  publications.map((p) => (p.data as { text: string }).text);

describe('several nodes on one Redis', () => {
  it('delivers a publication made on A to clients on B and C, in order, stamped once', async () => {
    nodes = await startCluster(3, redis.url);
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const [onA, onB, onC] = [await connect(a, 'ana'), await connect(b, 'bo'), await connect(c, 'cy')];
    for (const client of [onA, onB, onC]) await subscribe(client, 'chat:lobby');
    for (let i = 0; i < 10; i += 1) await publish(onA, 'chat:lobby', { text: `m${i}` });
    const expected = Array.from({ length: 10 }, (_, i) => `m${i}`);
    for (const client of [onB, onC, onA]) {
      const received = await waitForPublications(client, 'chat:lobby', 10);
      expect(texts(received)).toEqual(expected);
      expect(received.map((p) => p.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(received[0]?.from?.name).toBe('ana');
    }
  });

  it('recovers on B exactly what a client missed after leaving A', async () => {
    nodes = await startCluster(2, redis.url);
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const publisher = await connect(b, 'publisher');
    const reader = await connect(a, 'reader');
    await subscribe(reader, 'chat:recovery');
    for (let i = 1; i <= 3; i += 1) await publish(publisher, 'chat:recovery', { text: `before ${i}` });
    const seen = await waitForPublications(reader, 'chat:recovery', 3);
    const last = seen.at(-1)!;
    reader.close();
    for (let i = 1; i <= 4; i += 1) await publish(publisher, 'chat:recovery', { text: `missed ${i}` });

    const back = await connect(b, 'reader again');
    const reply = await subscribe(back, 'chat:recovery', { epoch: last.epoch, seq: last.seq });
    expect(reply).toMatchObject({ recovered: true, epoch: last.epoch, seq: 7 });
    const missed = await waitForPublications(back, 'chat:recovery', 4);
    expect(texts(missed)).toEqual(['missed 1', 'missed 2', 'missed 3', 'missed 4']);
    await publish(publisher, 'chat:recovery', { text: 'live' });
    const all = await waitForPublications(back, 'chat:recovery', 5);
    expect(all.map((p) => p.seq)).toEqual([4, 5, 6, 7, 8]);
  });

  it('shares presence, join events and the client count across nodes', async () => {
    nodes = await startCluster(3, redis.url, { clientCountIntervalMs: 20 });
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const ana = await connect(a, 'ana');
    await subscribe(ana, 'chat:room');
    const bo = await connect(b, 'bo');
    await subscribe(bo, 'chat:room');
    const join = await ana.next((f) => f.type === 'join' && f.client.name === 'bo');
    expect(join).toMatchObject({ channel: 'chat:room' });

    const cy = await connect(c, 'cy');
    const connection = cy.frames.find((f) => f.type === 'connection');
    expect(connection).toMatchObject({ client_count: 3 });
    const presence = await cy.request({ type: 'presence', id: requestId(), channel: 'chat:room' });
    expect(presence).toMatchObject({ type: 'presence', count: 2 });
    expect(presence.type === 'presence' && presence.clients.map((client) => client.name).sort()).toEqual([
      'ana',
      'bo',
    ]);
    const viaHttp = (await (
      await fetch(`${c.server.httpUrl}/api/presence?channel=chat:room`)
    ).json()) as unknown;
    expect(JSON.stringify(viaHttp)).toContain('"bo"');

    bo.close();
    await ana.next((f) => f.type === 'leave' && f.client.name === 'bo');
    expect(await c.engine.presence.count('chat:room')).toBe(1);
  });

  it('ends at exactly 2000 when 20 clients on 3 nodes increment one counter 100 times each', async () => {
    nodes = await startCluster(3, redis.url);
    const clientsOnNodes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => connect(nodes[i % 3], `counter-${i}`)),
    );
    const watcher = await connect(nodes[0], 'watcher');
    const first = await subscribe(watcher, 'counter:shared');
    // The hub sends the counter state (a number today; issue 2 asks for `{value}`): accept either shape.
    expect([0, { value: 0 }]).toContainEqual(first.snapshot);

    const startedAt = Date.now();
    await Promise.all(
      clientsOnNodes.map(async (client, c) => {
        const acks = Array.from({ length: 100 }, (_, i) =>
          client.request({
            type: 'publish',
            id: `c${c}-${i}`,
            channel: 'counter:shared',
            data: { op: 'increment' },
          }),
        );
        // The whole frame in the message: an error says which (rate_limited, unavailable, …).
        for (const ack of await Promise.all(acks)) expect(ack).toMatchObject({ type: 'ack' });
      }),
    );
    const elapsedMs = Date.now() - startedAt;

    const late = await connect(nodes[2], 'late');
    const final = await subscribe(late, 'counter:shared');
    expect(final.seq).toBe(2000);
    expect([2000, { value: 2000 }]).toContainEqual(final.snapshot);
    await watcher.nextPublication((p) => (p.data as { value: number }).value === 2000);
    expect(await nodes[1].engine.broker.snapshot('counter:shared')).toMatchObject({ state: 2000 });
    expect(elapsedMs).toBeLessThan(15_000);
  });
});
