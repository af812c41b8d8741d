/**
 * Chaos reconnect on the Redis engine, with the only node restarted half-way: 50 SDK clients through
 * the fault proxy, 5 000 sequenced messages on `events`, and after 2 500 the node shuts down (1012)
 * and a new process-equivalent node starts on the same Redis. History and epoch live in Redis, so every
 * client must still end with every message exactly once, in order, recovering each time.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { startChaosProxy, type ChaosProxy } from './chaos-proxy.ts';
import { CHAOS_PLAN, describeFailures, runChaos } from './chaos-run.ts';
import { suiteSeed } from './seeded-random.ts';

const CLIENTS = 50;
const MESSAGES = 5000;
const seed = suiteSeed() + 1;

let redis: RedisServer;
let server: RunningServer;
let proxy: ChaosProxy;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer({ redisUrl: redis.url });
  proxy = await startChaosProxy(server.port, seed);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
  await redis.close();
});

it(`delivers ${MESSAGES} messages exactly once, in order, through faults and a node restart`, async () => {
  const epochBefore = (await server.hub.history('events', {})).epoch;
  let restartMs = 0;
  const result = await runChaos({
    proxy,
    channel: 'events',
    clients: CLIENTS,
    messages: MESSAGES,
    batch: 10,
    tickMs: 25,
    plan: CHAOS_PLAN,
    publish: (n) => server.hub.publish('events', { n }),
    async midway() {
      const started = Date.now();
      await server.close();
      server = await startTestServer({ redisUrl: redis.url });
      proxy.setTarget(server.port);
      restartMs = Date.now() - started;
    },
    settleMs: 15_000,
  });
  console.info(
    `[chaos redis] seed ${seed}: ${result.messagesChecked} messages checked, ${result.totalFaults} faults ` +
      `${JSON.stringify(result.faults)}, node restart ${restartMs} ms, ${result.reconnects} reconnects, ` +
      `${result.resubscriptions} resubscriptions, ${result.durationMs} ms`,
  );

  expect(describeFailures(result, MESSAGES, seed)).toEqual([]);
  expect(result.messagesChecked).toBe(CLIENTS * MESSAGES);
  expect((await server.hub.history('events', {})).epoch).toBe(epochBefore);
  // The restart was seen as such (1012) by every client connected at that moment (others were
  // between two connections because of a fault), and they all came back by themselves (above).
  const told = result.recorders.filter((r) =>
    r.statuses.some((s) => s.state === 'reconnecting' && s.code === 1012),
  ).length;
  console.info(`[chaos redis] ${told}/${CLIENTS} clients were told 1012 (service restart)`);
  expect(told).toBeGreaterThan(CLIENTS / 2);
  expect(result.totalFaults).toBeGreaterThan(100);
}, 60_000);
