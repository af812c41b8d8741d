/**
 * The HTTP publish and backend scenarios end to end on a tiny scale: real server processes, the
 * bench backend, real clients. Every publication must be confirmed and delivered and every proxy
 * call made, or the figures in docs/performance.md would be fiction. Nothing here judges speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadPool } from '../load-pool.ts';
import { runBackendScenario } from './backend.ts';
import { runHttpPublishScenario } from './http-publish.ts';

const quiet = (): void => undefined;

describe('http-publish scenario', () => {
  it('measures single and batch publishing, every publication confirmed and delivered', async () => {
    const records = await runHttpPublishScenario({ quick: true, log: quiet, warmupMs: 100, durationMs: 300 });
    expect(records.map((r) => [r.mode, r.window])).toEqual([
      ['single', 1],
      ['single', 16],
      ['batch', 1],
      ['batch', 4],
    ]);
    for (const r of records) {
      expect(r.failures).toBe(0);
      expect(r.publications).toBeGreaterThan(0);
      expect(r.publications).toBe(r.requests * r.perRequest);
      expect(r.delivered).toBe(r.expected);
      expect(r.expected).toBe(r.publications * r.subscribers);
      expect(r.cpuPerPublicationUs).toBeGreaterThan(0);
    }
  }, 30_000);
});

describe('backend scenario', () => {
  let pool: LoadPool;

  beforeAll(async () => {
    pool = await LoadPool.start(2);
  });

  afterAll(async () => {
    await pool?.close();
  });

  it('asks the bench backend once per proxied connect and publish, and only then', async () => {
    const result = await runBackendScenario({
      pool,
      quick: true,
      log: quiet,
      connections: 100,
      rounds: 1,
      roundMs: 200,
    });
    const [off, on] = result.connectRate;
    expect(off).toMatchObject({ mode: 'no proxy', connections: 100, failed: 0, backendCalls: 0 });
    expect(on).toMatchObject({ mode: 'connect proxy', connections: 100, failed: 0, backendCalls: 100 });
    expect(on.connectionsPerSec).toBeGreaterThan(0);
    const [direct, proxied] = result.proxiedPublish;
    expect(direct).toMatchObject({ mode: 'direct', failures: 0, backendCalls: 0 });
    expect(proxied).toMatchObject({ mode: 'publish proxy', failures: 0 });
    for (const p of [direct, proxied]) {
      expect(p.sent).toBe(100);
      expect(p.acked).toBe(p.sent);
      expect(p.ackLatencyMs.count).toBe(p.sent);
      expect(p.deliveryLatencyMs.count).toBe(p.sent * p.subscribers);
    }
    expect(proxied.backendCalls).toBe(proxied.sent);
  }, 60_000);
});
