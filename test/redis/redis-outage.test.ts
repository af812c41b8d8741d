/**
 * Two nodes through a Redis outage, with real clients (the SDK on node A, a raw socket on node B):
 * while Redis is stopped, no node crashes, both report unhealthy on /healthz, clients stay
 * connected and publishes are refused with an error; when Redis returns, the nodes report healthy
 * and clients carry on — seamlessly when Redis kept its data, through a resync when it lost it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/node.ts';
import type { PublicationFrame, SubscribedInfo, TrendStreamClient } from '../../src/client/types.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';
import { waitFor } from '../contract/contract-helpers.ts';
import { closeCluster, startCluster, type ClusterNode } from './cluster-helpers.ts';

let redis: RedisServer;
let nodes: ClusterNode[] = [];
let sdk: TrendStreamClient | undefined;
let raw: WsTestClient | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});
beforeEach(async () => {
  if (!redis.pid) await redis.restart();
});
afterEach(async () => {
  sdk?.disconnect();
  raw?.close();
  await closeCluster(nodes);
});

async function healthStatus(node: ClusterNode): Promise<number> {
  return (await fetch(`${node.server.httpUrl}/healthz`)).status;
}

let requests = 0;
async function publishFromRaw(channel: string, text: string) {
  requests += 1;
  return raw!.request({ type: 'publish', id: `p${requests}`, channel, data: { text } });
}

/** Nodes A and B; the SDK on A and a raw client on B, both subscribed to `channel`. */
async function setUp(channel: string) {
  nodes = await startCluster(2, redis.url);
  const [a, b] = nodes as [ClusterNode, ClusterNode];
  const received: PublicationFrame[] = [];
  const subscribed: SubscribedInfo[] = [];
  sdk = createClient(`${a.server.wsUrl}?name=sdk`, { baseDelayMs: 50, maxDelayMs: 300 });
  sdk.subscribe(channel, {
    onPublication: (publication) => received.push(publication),
    onSubscribed: (info) => subscribed.push(info),
  });
  raw = await WsTestClient.connect(`${b.server.wsUrl}?name=raw`);
  await raw.request({ type: 'subscribe', id: 's', channel });
  await waitFor('the SDK to subscribe', () => subscribed.length === 1);
  expect(await publishFromRaw(channel, 'before')).toMatchObject({ type: 'ack', seq: 1 });
  await waitFor('the first publication on A', () => received.length === 1);
  return { a, b, received, subscribed };
}

/** Stop Redis for about two seconds and check the nodes ride it out. */
async function outage(a: ClusterNode, b: ClusterNode, channel: string, persist: boolean): Promise<void> {
  await redis.stop({ persist });
  await waitFor(
    'both nodes to report unhealthy',
    async () => (await healthStatus(a)) === 503 && (await healthStatus(b)) === 503,
  );
  expect(await publishFromRaw(channel, 'during')).toMatchObject({ type: 'error' });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await healthStatus(a)).toBe(503);
  expect(sdk?.state).toBe('connected');
  expect(raw?.closeCode).toBeUndefined();
  await redis.restart();
  await waitFor(
    'both nodes to report healthy',
    async () => (await healthStatus(a)) === 200 && (await healthStatus(b)) === 200,
  );
}

describe('a Redis outage under two nodes', () => {
  it('carries on without a gap when Redis comes back with its data', async () => {
    const channel = 'chat:outage';
    const { a, b, received, subscribed } = await setUp(channel);
    await outage(a, b, channel, true);
    expect(await publishFromRaw(channel, 'after')).toMatchObject({ type: 'ack', seq: 2 });
    await waitFor('the publication after the outage on A', () => received.length === 2);
    expect(received.map((p) => [p.seq, (p.data as { text: string }).text])).toEqual([
      [1, 'before'],
      [2, 'after'],
    ]);
    expect(subscribed).toHaveLength(1);
  });

  it('lets clients resynchronise when Redis comes back empty', async () => {
    const channel = 'chat:outage-lost';
    const { a, b, received, subscribed } = await setUp(channel);
    const firstEpoch = received[0].epoch;
    await outage(a, b, channel, false);
    const after = await publishFromRaw(channel, 'after');
    expect(after).toMatchObject({ type: 'ack', seq: 1 });
    expect(after.type === 'ack' && after.epoch).not.toBe(firstEpoch);
    await waitFor('the SDK to resubscribe in the new epoch', () => subscribed.length === 2);
    expect(subscribed[1]).toMatchObject({ recovered: false, first: false });
    expect(subscribed[1].epoch).not.toBe(firstEpoch);
    await publishFromRaw(channel, 'after resync');
    await waitFor('live publications again', () =>
      received.some((p) => (p.data as { text: string }).text === 'after resync'),
    );
    expect(received.at(-1)).toMatchObject({ seq: 2 });
  });
});
