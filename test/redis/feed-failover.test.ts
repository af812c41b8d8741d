/**
 * Built-in feeds run once per cluster: node A (a real process) leads and runs the trends feed;
 * node B, started after it, only relays. When A is SIGKILLed, its leader lock expires and B takes
 * the feed over: B's clients keep receiving trends, in one seq sequence without duplicates.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';
import { runFixture, type FixtureProcess } from './fixtures/child-process.ts';
import { closeCluster, startNode, type ClusterNode } from './cluster-helpers.ts';

const SERVER_NODE = fileURLToPath(new URL('./fixtures/server-node.ts', import.meta.url));

let redis: RedisServer;
let leader: FixtureProcess | undefined;
const nodes: ClusterNode[] = [];
const clients: WsTestClient[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await leader?.kill();
  await closeCluster(nodes);
});

it('moves the feeds to another node when the leader dies', async () => {
  const keyPrefix = 'failover:';
  leader = runFixture(SERVER_NODE, { REDIS_URL: redis.url, KEY_PREFIX: keyPrefix });
  const leaderPort = Number((await leader.waitForLine('ready')).split(' ')[1]);
  const onLeader = await WsTestClient.connect(`ws://127.0.0.1:${leaderPort}/ws?name=first`);
  clients.push(onLeader);
  await onLeader.request({ type: 'subscribe', id: 's', channel: 'trends' });
  await onLeader.nextPublication((p) => p.channel === 'trends');

  const follower = await startNode(redis.url, keyPrefix, {
    feeds: { ...NO_FEEDS, trends: true },
    trendIntervalMs: 100,
  });
  nodes.push(follower);
  const client = await WsTestClient.connect(`${follower.server.wsUrl}?name=second`);
  clients.push(client);
  await client.request({ type: 'subscribe', id: 's', channel: 'trends' });
  await client.nextPublication((p) => p.channel === 'trends');

  const lockHolder = () => redis.command(`GET ${keyPrefix}leader:feeds`);
  expect(await lockHolder()).toMatch(/^\$\d+\r\n[0-9a-f]+:/);
  expect(await lockHolder()).not.toContain(`${follower.engine.nodeId}:`);

  const killedAt = Date.now();
  await leader.kill();
  const countAtKill = client.publications('trends').length;
  const resumed = await client.nextPublication(
    (p) => p.channel === 'trends' && Date.parse(p.timestamp) > killedAt + 50,
    5000,
  );
  const takeoverMs = Date.parse(resumed.timestamp) - killedAt;
  await client.nextPublication((p) => p.seq === resumed.seq + 3);

  const seqs = client.publications('trends').map((p) => p.seq);
  expect(new Set(client.publications('trends').map((p) => p.epoch)).size).toBe(1);
  expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
  expect(client.publications('trends').length).toBeGreaterThan(countAtKill + 3);
  expect(takeoverMs).toBeLessThan(2500);
  expect(await lockHolder()).toContain(`${follower.engine.nodeId}:`);
});
