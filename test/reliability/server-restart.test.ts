/**
 * Restarting the only node while clients are subscribed.
 * - Memory engine: history and state die with the process. Every client must learn it
 *   (`recovered: false`, a new epoch, the new node's snapshot) and never be handed stale data: after the
 *   resubscription it sees only the new node's publications, and ends with the new node's state.
 * - Redis engine: history, epoch and state live in Redis. A backend keeps publishing straight to Redis
 *   while the node is down; clients reconnect with visible backoff and lose nothing published before,
 *   during or after the restart.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/node.ts';
import type { PublicationFrame, SubscribedInfo, TrendStreamClient } from '../../src/client/types.ts';
import { createEngine } from '../../src/engine/create-engine.ts';
import type { Engine } from '../../src/engine/types.ts';
import { BUILT_IN_NAMESPACES as NAMESPACES } from '../../src/server/namespaces.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { SequenceRecorder } from './sequence-recorder.ts';

const CLIENTS = 20;
const COUNTER = 'counter:restart';

let server: RunningServer | undefined;
const clients: TrendStreamClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await server?.close();
  server = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A counter subscriber's view: the value it would show, and every (re)subscription it got. */
class CounterView {
  value: unknown = undefined;
  readonly infos: SubscribedInfo[] = [];
  readonly afterRestart: PublicationFrame[] = [];
  restarted = false;

  onSubscribed = (info: SubscribedInfo): void => {
    this.infos.push(info);
    this.value = info.recovered ? this.value : (info.snapshot as { value?: number } | undefined)?.value;
  };

  onPublication = (p: PublicationFrame): void => {
    this.value = (p.data as { value: number }).value;
    if (this.restarted) this.afterRestart.push(p);
  };
}

function connectFleet(url: string): { events: SequenceRecorder[]; counters: CounterView[] } {
  const events: SequenceRecorder[] = [];
  const counters: CounterView[] = [];
  for (let i = 0; i < CLIENTS; i += 1) {
    const recorder = new SequenceRecorder();
    const view = new CounterView();
    // `events` carries bare sequence numbers here, not activity entries: the catalogue check is off.
    const client = createClient(url, {
      name: `restart-${i}`,
      baseDelayMs: 20,
      maxDelayMs: 250,
      checkPayloads: false,
    });
    client.on('status', recorder.onStatus);
    client.subscribe('events', {
      onPublication: recorder.onPublication,
      onSubscribed: recorder.onSubscribed,
    });
    client.subscribe(COUNTER, { onPublication: view.onPublication, onSubscribed: view.onSubscribed });
    clients.push(client);
    events.push(recorder);
    counters.push(view);
  }
  return { events, counters };
}

describe('memory engine', () => {
  it('tells every client its history is gone and hands it the new node’s state, never stale data', async () => {
    server = await startTestServer();
    const port = server.port;
    const { events, counters } = connectFleet(server.wsUrl);
    await until(
      () => counters.every((c) => c.infos.length === 1) && events.every((e) => e.subscribedOnce),
      'subscriptions',
    );
    for (let i = 0; i < 30; i += 1) {
      await server.hub.publish(COUNTER, { op: 'increment' });
      await server.hub.publish('events', { n: i });
    }
    await until(
      () => counters.every((c) => c.value === 30) && events.every((e) => e.nextExpected === 30),
      'the first 30',
    );
    const oldEpoch = events[0].subscriptions[0].epoch;

    await server.close();
    for (const view of counters) view.restarted = true;
    server = await startTestServer({ port });
    // The new node moves on before and while the clients come back.
    for (let i = 0; i < 25; i += 1) {
      await server.hub.publish(COUNTER, { op: 'increment' });
      await server.hub.publish('events', { marker: i });
      await sleep(4);
    }
    await until(() => counters.every((c) => c.infos.length === 2), 'every client to resubscribe');
    await server.hub.publish(COUNTER, { op: 'increment' });
    await until(() => counters.every((c) => c.value === 26), 'every client to show the new node’s counter');

    for (const view of counters) {
      const [, after] = view.infos;
      expect(after).toMatchObject({ recovered: false, first: false });
      expect(after.epoch).not.toBe(oldEpoch);
      // The snapshot is the new node's value at the reply's position (one increment per seq), not 30.
      expect(after.snapshot).toEqual({ value: after.seq });
      expect(view.afterRestart.every((p) => p.epoch === after.epoch && p.seq > after.seq)).toBe(true);
    }
    for (const recorder of events) {
      const [, after] = recorder.subscriptions;
      expect(after).toMatchObject({ recovered: false });
      expect(after.epoch).not.toBe(oldEpoch);
      expect(recorder.violations).toEqual([]);
    }
  });
});

describe('redis engine', () => {
  let redis: RedisServer;
  let backend: Engine;

  beforeAll(async () => {
    redis = await startRedisServer();
    backend = await createEngine({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await backend.close();
    await redis.close();
  });

  it('loses nothing published before, during or after a restart of the only node', async () => {
    server = await startTestServer({ redisUrl: redis.url });
    const port = server.port;
    const { events, counters } = connectFleet(server.wsUrl);
    await until(
      () => counters.every((c) => c.infos.length === 1) && events.every((e) => e.subscribedOnce),
      'subscriptions',
    );

    const total = 600;
    const options = (ns: string) => {
      const { historySize, historyTtlMs, state } = NAMESPACES[ns];
      return { historySize, historyTtlMs, state };
    };
    let downMs = 0;
    let restarted: Promise<void> | undefined;
    for (let n = 0; n < total; n += 1) {
      if (n === total / 2) {
        const down = Date.now();
        await server.close();
        // The node stays down for half a second while the backend keeps publishing to Redis.
        restarted = sleep(500).then(async () => {
          server = await startTestServer({ redisUrl: redis.url, port });
          downMs = Date.now() - down;
        });
      }
      await backend.broker.publish('events', { n }, options('events'));
      await backend.broker.publish(COUNTER, { delta: 1 }, options('counter'));
      await sleep(8);
    }
    await restarted;
    await until(
      () => events.every((e) => e.nextExpected === total),
      'every client to get every message',
      15_000,
    );
    await until(() => counters.every((c) => c.value === total), 'every counter to reach the total');
    console.info(`[restart redis] node down ${downMs} ms, ${CLIENTS * total} messages checked`);

    for (const recorder of events) {
      expect(recorder.violations).toEqual([]);
      expect(recorder.resubscriptions).toBeGreaterThanOrEqual(1);
      expect(recorder.unrecovered).toEqual([]);
      // Backoff is visible: told 1012, then reconnect attempts with their number and delay.
      const reconnecting = recorder.statuses.filter((s) => s.state === 'reconnecting');
      expect(reconnecting[0]).toMatchObject({ code: 1012, attempt: 1 });
      expect(reconnecting.every((s) => typeof s.delayMs === 'number' && s.delayMs <= 250)).toBe(true);
      expect(Math.max(...reconnecting.map((s) => s.attempt ?? 0))).toBeGreaterThan(1);
    }
    for (const view of counters) {
      expect(view.infos.slice(1).every((info) => info.recovered)).toBe(true);
    }
  }, 30_000);
});
