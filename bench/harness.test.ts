/**
 * The whole harness end to end on a tiny level: real server processes (a raw ws baseline and
 * TrendStream), real subscriber and publisher processes. Every message must arrive, with a sane
 * latency and a CPU figure, or the benchmark's tables would be fiction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLevel } from './level-runner.ts';
import { LoadPool } from './load-pool.ts';
import { QUICK_PLAN, type LevelSpec } from './plan.ts';

let pool: LoadPool;

beforeAll(async () => {
  pool = await LoadPool.start(2);
});

afterAll(async () => {
  await pool?.close();
});

const level: LevelSpec = {
  clients: 40,
  idleMemory: true,
  phases: [
    { name: '50 msg/s', rate: 50, durationMs: 300 },
    { name: 'max', rate: 0, durationMs: 200 },
    { name: 'stalled', rate: 50, durationMs: 200, stallEvery: 10 },
  ],
};

describe.each(['ws-preframed', 'socketio', 'trendstream'] as const)('%s under the bench harness', (kind) => {
  it('delivers every message to every healthy subscriber and measures it', async () => {
    const plan = { ...QUICK_PLAN, warmupMs: 100 };
    const result = await runLevel(kind, level, { pool, plan, cores: 2, log: () => undefined });
    expect(result.memory.connected).toBe(40);
    const [fixed, max, stalled] = result.phases;
    expect(fixed.sent).toBe(15);
    expect(fixed.delivered).toBe(15 * 40);
    expect(fixed.latencyMs.count).toBe(fixed.delivered);
    expect(fixed.latencyMs.p50).toBeGreaterThan(0);
    expect(fixed.latencyMs.max).toBeLessThan(1000);
    expect(fixed.cpuPerDeliveryUs).toBeGreaterThan(0);
    expect(fixed.bytesPerDelivery).toBeGreaterThanOrEqual(200);
    expect(max.sent).toBeGreaterThan(fixed.sent);
    expect(max.delivered).toBe(max.expected);
    expect(stalled.stalledClients).toBe(4);
    expect(stalled.healthyClients).toBe(36);
    expect(stalled.delivered).toBe(stalled.sent * 36);
  }, 30_000);
});
