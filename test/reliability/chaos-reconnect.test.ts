/**
 * Chaos reconnect on the memory engine: 50 SDK clients on the `events` history channel (200 kept) go
 * through a proxy that resets, stalls and half-closes their connections at random (seeded), while the
 * server publishes 5 000 sequenced messages. Every client must end with every message exactly once,
 * in order, each resubscription recovering from history (`since`), never resyncing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { startChaosProxy, type ChaosProxy } from './chaos-proxy.ts';
import { CHAOS_PLAN, describeFailures, runChaos } from './chaos-run.ts';
import { suiteSeed } from './seeded-random.ts';

const CLIENTS = 50;
const MESSAGES = 5000;
const seed = suiteSeed();

let server: RunningServer;
let proxy: ChaosProxy;

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startChaosProxy(server.port, seed);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});

it(`delivers ${MESSAGES} messages exactly once, in order, to ${CLIENTS} clients through random faults`, async () => {
  const result = await runChaos({
    proxy,
    channel: 'events',
    clients: CLIENTS,
    messages: MESSAGES,
    batch: 10,
    tickMs: 25,
    plan: CHAOS_PLAN,
    publish: (n) => server.hub.publish('events', { n }),
    settleMs: 10_000,
  });
  console.info(
    `[chaos memory] seed ${seed}: ${result.messagesChecked} messages checked, ${result.totalFaults} faults ` +
      `${JSON.stringify(result.faults)}, ${result.reconnects} reconnects, ${result.resubscriptions} ` +
      `resubscriptions, ${result.connectionsAccepted} connections, ${result.durationMs} ms`,
  );

  expect(describeFailures(result, MESSAGES, seed)).toEqual([]);
  expect(result.messagesChecked).toBe(CLIENTS * MESSAGES);
  // The faults really happened and really cost connections: this was not a quiet run.
  expect(result.totalFaults).toBeGreaterThan(100);
  expect(result.faults.reset).toBeGreaterThan(0);
  expect(result.faults.delay).toBeGreaterThan(0);
  expect(result.faults['half-close-client'] + result.faults['half-close-server']).toBeGreaterThan(0);
  expect(result.resubscriptions).toBeGreaterThan(50);
}, 40_000);
