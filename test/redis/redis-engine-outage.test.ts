/**
 * The Redis engine through Redis failures, on a real redis-server that the tests stop and restart:
 * unhealthy while Redis is away and no crash, fast failures instead of hangs, resubscription and
 * presence restored when it returns, an exact catch-up over a lost pub/sub connection, and a new
 * epoch when Redis comes back without its data.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisEngine } from '../../src/engine/redis/redis-engine.ts';
import type { EngineLogger } from '../../src/engine/redis/redis-options.ts';
import { HISTORY, record, sleep, uniqueChannel, waitFor } from '../contract/contract-helpers.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';

let redis: RedisServer;
const engines: RedisEngine[] = [];
const messages: string[] = [];
const logger: EngineLogger = {
  warn: (_details, message) => messages.push(message),
  info: (_details, message) => messages.push(message),
};

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});
beforeEach(async () => {
  if (!redis.pid) await redis.restart();
  await redis.command('FLUSHALL');
  messages.length = 0;
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});

async function node(reconnectMs = { base: 50, max: 300 }): Promise<RedisEngine> {
  const engine = await RedisEngine.connect({
    url: redis.url,
    healthCheckMs: 200,
    commandTimeoutMs: 1000,
    reconnectBaseMs: reconnectMs.base,
    reconnectMaxMs: reconnectMs.max,
    presenceTtlMs: 1000,
    logger,
  });
  engines.push(engine);
  return engine;
}

describe('redis engine through Redis outages', () => {
  it('reports unhealthy and fails fast while Redis is down, then resumes where it was', async () => {
    const [a, b] = [await node(), await node()];
    const channel = uniqueChannel('chat');
    const onA = record(a);
    await a.broker.subscribe(channel);
    const first = await b.broker.publish(channel, 'before', HISTORY);
    await waitFor('the first publication', () => onA.on(channel).length === 1);

    await redis.stop({ persist: true });
    await waitFor('A to report unhealthy', () => !a.healthy(), 3000);
    const startedAt = Date.now();
    await expect(b.broker.publish(channel, 'during', HISTORY)).rejects.toThrow();
    await expect(a.presence.count('chat:z')).rejects.toThrow();
    expect(Date.now() - startedAt).toBeLessThan(1500);
    await a.presence.add('chat:z', { id: 'joined-during-outage', name: 'Z', joinedAt: 1 });
    await sleep(1000);
    expect(a.healthy()).toBe(false);

    await redis.restart();
    await waitFor('A and B healthy again', () => a.healthy() && b.healthy(), 5000);
    await waitFor('presence rewritten', async () => (await b.presence.count('chat:z')) === 1, 3000);
    const after = await b.broker.publish(channel, 'after', HISTORY);
    expect(after).toMatchObject({ epoch: first.epoch, seq: 2 });
    await waitFor('the publication after the outage', () => onA.on(channel).length === 2);
    expect(onA.on(channel).map((p) => p.data)).toEqual(['before', 'after']);
    expect(messages).toContain('redis unreachable; retrying with backoff');
    expect(messages).toContain('redis reachable again');
  });

  /**
   * A slow reconnect lets the whole burst pass while A is away; a fast one makes gaps in the live
   * stream. A quiet channel has delivered nothing to A before the cut.
   */
  for (const [label, reconnectMs, quiet] of [
    ['after reconnecting', { base: 1000, max: 1000 }, false],
    ['after reconnecting, on a channel that was quiet until then', { base: 1000, max: 1000 }, true],
    ['through gaps in the live stream', { base: 50, max: 300 }, false],
  ] as const) {
    it(`catches up exactly ${label} when its pub/sub connection is cut while others publish`, async () => {
      const [a, b] = [await node(reconnectMs), await node()];
      const channel = uniqueChannel('chat');
      const options = { ...HISTORY, historySize: 1000 };
      const onA = record(a);
      if (quiet) await b.broker.publish(channel, 0, options);
      await a.broker.subscribe(channel);
      if (!quiet) {
        await b.broker.publish(channel, 0, options);
        await waitFor('the first publication', () => onA.on(channel).length === 1);
      }

      const clients = await redis.command('CLIENT LIST');
      const line = clients.split('\n').find((l) => l.includes(`name=trendstream:${a.nodeId}:subscriber`));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await redis.command(`CLIENT KILL ID ${id}`);
      for (let i = 1; i <= 200; i += 1) await b.broker.publish(channel, i, options);

      const expected = quiet ? 200 : 201;
      await waitFor(`all ${expected} publications on A`, () => onA.on(channel).length >= expected, 5000);
      await sleep(50);
      const first = quiet ? 2 : 1;
      expect(onA.on(channel).map((p) => p.seq)).toEqual(
        Array.from({ length: expected }, (_, i) => i + first),
      );
      expect(onA.on(channel).map((p) => p.data)).toEqual(
        Array.from({ length: expected }, (_, i) => i + first - 1),
      );
      expect(messages).toContain('redis channels resubscribed');
      expect(messages).toContain('caught up from history');
    });
  }

  it('starts a new epoch when Redis comes back without its data', async () => {
    const [a, b] = [await node(), await node()];
    const channel = uniqueChannel('chat');
    const onA = record(a);
    await a.broker.subscribe(channel);
    const before = await b.broker.publish(channel, 'before', HISTORY);
    await b.broker.publish(channel, 'before 2', HISTORY);
    await waitFor('the first publications', () => onA.on(channel).length === 2);

    await redis.stop();
    await waitFor('A to report unhealthy', () => !a.healthy(), 3000);
    await redis.restart();
    await waitFor('A and B healthy again', () => a.healthy() && b.healthy(), 5000);

    const after = await b.broker.publish(channel, 'after', HISTORY);
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.seq).toBe(1);
    await waitFor('the new epoch’s publication on A', () => onA.on(channel).length === 3);
    expect(onA.on(channel)[2]).toEqual(after);
    const stale = await a.broker.history(channel, { since: { epoch: before.epoch, seq: 2 } }, HISTORY);
    expect(stale).toMatchObject({ recovered: false, epoch: after.epoch, seq: 1 });
  });

  it('refuses to connect to a Redis that is not there, within the timeout', async () => {
    await redis.stop();
    const startedAt = Date.now();
    await expect(RedisEngine.connect({ url: redis.url, connectTimeoutMs: 500 })).rejects.toThrow(
      /did not answer/,
    );
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });
});
