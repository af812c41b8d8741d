/**
 * Several Redis engines on one real redis-server, as several nodes would be: fan-out across nodes,
 * seq monotonic across nodes and node restarts, exact counters, presence across nodes, and what a
 * crashed node (a real process, SIGKILLed) leaves behind: its presence expires and its leader
 * lock passes to a survivor.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisEngine } from '../../src/engine/redis/redis-engine.ts';
import type { LeaderTask, Publication } from '../../src/engine/types.ts';
import { COUNTER, HISTORY, record, uniqueChannel, waitFor } from '../contract/contract-helpers.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { runFixture, type FixtureProcess } from './fixtures/child-process.ts';

const ENGINE_NODE = fileURLToPath(new URL('./fixtures/engine-node.ts', import.meta.url));
const PRESENCE_TTL_MS = 1000;
const LEADER_TTL_MS = 1000;

let redis: RedisServer;
let prefix = '';
const engines: RedisEngine[] = [];
const fixtures: FixtureProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((fixture) => fixture.kill()));
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});

/** A node of the current test's cluster (all nodes of one test share a key prefix). */
async function node(): Promise<RedisEngine> {
  const engine = await RedisEngine.connect({
    url: redis.url,
    keyPrefix: prefix,
    presenceTtlMs: PRESENCE_TTL_MS,
    leaderTtlMs: LEADER_TTL_MS,
  });
  engines.push(engine);
  return engine;
}

function newCluster(): void {
  prefix = `cluster${Math.random().toString(36).slice(2, 8)}:`;
}

describe('redis engine across nodes', () => {
  it('delivers a publication from one node to every subscribed node, in order', async () => {
    newCluster();
    const [a, b, c] = [await node(), await node(), await node()];
    const channel = uniqueChannel('chat');
    const [onB, onC] = [record(b), record(c)];
    await b.broker.subscribe(channel);
    await c.broker.subscribe(channel);
    for (let i = 0; i < 20; i += 1) await (i % 2 ? a : c).broker.publish(channel, { i }, HISTORY);
    await waitFor(
      '20 publications on B and C',
      () => onB.on(channel).length === 20 && onC.on(channel).length === 20,
    );
    const expected = Array.from({ length: 20 }, (_, i) => ({ seq: i + 1, data: { i } }));
    expect(onB.on(channel).map(({ seq, data }) => ({ seq, data }))).toEqual(expected);
    expect(onC.on(channel)).toEqual(onB.on(channel));
  });

  it('keeps seq monotonic across nodes publishing concurrently, and counters exact', async () => {
    newCluster();
    const nodes = [await node(), await node(), await node()];
    const channel = uniqueChannel('counter');
    const published = await Promise.all(
      Array.from({ length: 300 }, (_, i) => nodes[i % 3].broker.publish(channel, { delta: 1 }, COUNTER)),
    );
    expect(published.map((p) => p.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    for (const p of published) expect(p.data).toEqual({ value: p.seq });
    expect(new Set(published.map((p) => p.epoch)).size).toBe(1);
    expect(await nodes[1].broker.snapshot(channel)).toMatchObject({ seq: 300, state: 300 });
  });

  it('keeps seq, epoch, history and state when every node restarts', async () => {
    newCluster();
    const first = await node();
    const channel = uniqueChannel('board');
    const stroke = { op: 'stroke', points: [[1, 2]], color: '#ff0000', size: 3 };
    const options = { ...HISTORY, state: 'board' as const };
    const before: Publication[] = [];
    for (let i = 0; i < 3; i += 1) before.push(await first.broker.publish(channel, stroke, options));
    await first.close();
    const second = await node();
    const next = await second.broker.publish(channel, stroke, options);
    expect(next).toMatchObject({ epoch: before[0].epoch, seq: 4 });
    const recovered = await second.broker.history(channel, { since: { epoch: next.epoch, seq: 1 } }, options);
    expect(recovered.recovered).toBe(true);
    expect(recovered.publications.map((p) => p.seq)).toEqual([2, 3, 4]);
    expect((await second.broker.snapshot(channel)).state).toHaveLength(4);
  });

  it('shares presence and counts across nodes', async () => {
    newCluster();
    const [a, b] = [await node(), await node()];
    await a.presence.add('chat:x', { id: 'a1', name: 'A1', joinedAt: 1 });
    await b.presence.add('chat:x', { id: 'b1', name: 'B1', joinedAt: 2 });
    await b.presence.add('chat:x', { id: 'b2', name: 'B2', joinedAt: 3 });
    expect(await a.presence.count('chat:x')).toBe(3);
    expect((await a.presence.list('chat:x')).map((e) => e.id)).toEqual(['a1', 'b1', 'b2']);
    await b.presence.remove('chat:x', 'b1');
    expect(await a.presence.count('chat:x')).toBe(2);
  });

  it('keeps a live node’s presence beyond the TTL by refreshing it', async () => {
    newCluster();
    const [a, b] = [await node(), await node()];
    await a.presence.add('chat:y', { id: 'a1', name: 'A1', joinedAt: 1 });
    await new Promise((resolve) => setTimeout(resolve, PRESENCE_TTL_MS * 1.5));
    expect(await b.presence.count('chat:y')).toBe(1);
  });

  it('forgets a crashed node’s clients within the presence TTL and moves its leader task', async () => {
    newCluster();
    const survivor = await node();
    const crashing = runFixture(ENGINE_NODE, {
      REDIS_URL: redis.url,
      KEY_PREFIX: prefix,
      PRESENCE_TTL_MS: String(PRESENCE_TTL_MS),
      LEADER_TTL_MS: String(LEADER_TTL_MS),
      CLIENTS: '3',
    });
    fixtures.push(crashing);
    await crashing.waitForLine('leading');
    await survivor.presence.add('chat:room', { id: 'mine', name: 'Mine', joinedAt: Date.now() });
    expect(await survivor.presence.count('chat:room')).toBe(4);

    const ticks = record(survivor);
    await survivor.broker.subscribe('ticks');
    let survivorLeads = false;
    const task: LeaderTask = {
      start: () => {
        survivorLeads = true;
      },
      stop: () => {
        survivorLeads = false;
      },
    };
    survivor.runAsLeader('ticker', task);
    await waitFor('ticks from the crashing leader', () => ticks.on('ticks').length >= 3);
    expect(survivorLeads).toBe(false);

    const killedAt = Date.now();
    await crashing.kill();
    await waitFor('the survivor to lead', () => survivorLeads, LEADER_TTL_MS * 3);
    const takeoverMs = Date.now() - killedAt;
    await waitFor(
      'the crashed node’s clients to expire',
      async () => (await survivor.presence.count('chat:room')) === 1,
    );
    const expiryMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(LEADER_TTL_MS * 2);
    expect(expiryMs).toBeLessThan(PRESENCE_TTL_MS * 2);
    expect((await survivor.presence.list('chat:room')).map((e) => e.id)).toEqual(['mine']);
  });
});
