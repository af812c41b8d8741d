/** Full-jitter backoff: bounds, exponential growth of the ceiling, the cap, option validation. */
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, validateBackoff } from '../../src/client/backoff.ts';
import { resolveClientOptions } from '../../src/client/client-options.ts';
import type { WebSocketConstructor } from '../../src/client/types.ts';

const options = { baseDelayMs: 500, maxDelayMs: 20_000 };

describe('backoff', () => {
  it('stays within [0, ceiling) for any random draw', () => {
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const ceiling = backoffCeiling(attempt, options);
      expect(backoffDelay(attempt, options, () => 0)).toBe(0);
      const highest = backoffDelay(attempt, options, () => 0.999_999);
      expect(highest).toBeLessThan(ceiling);
      expect(highest).toBeGreaterThanOrEqual(ceiling - 1);
      expect(backoffDelay(attempt, options, () => 0.5)).toBe(Math.floor(ceiling / 2));
    }
  });

  it('doubles the ceiling per attempt from baseDelayMs', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffCeiling(attempt, options))).toEqual([
      500, 1000, 2000, 4000, 8000,
    ]);
  });

  it('caps the ceiling at maxDelayMs, even for huge attempts', () => {
    expect(backoffCeiling(6, options)).toBe(20_000);
    expect(backoffCeiling(5000, options)).toBe(20_000);
    expect(backoffDelay(5000, options, () => 0.999_999)).toBeLessThan(20_000);
  });

  it('spreads delays over the whole range (full jitter, not equal jitter)', () => {
    const draws = Array.from({ length: 2000 }, () => backoffDelay(3, options));
    expect(Math.min(...draws)).toBeLessThan(400);
    expect(Math.max(...draws)).toBeGreaterThan(3600);
    expect(draws.every((delay) => Number.isInteger(delay) && delay >= 0 && delay < 4000)).toBe(true);
  });

  it('defaults to 500 ms doubling up to a 5 s cap: an interactive app is live within 5 s of the hub', () => {
    const resolved = resolveClientOptions({ WebSocket: class {} as unknown as WebSocketConstructor });
    expect(resolved).toMatchObject({ baseDelayMs: 500, maxDelayMs: 5000 });
    expect([0, 1, 2, 3, 4, 9].map((attempt) => backoffCeiling(attempt, resolved))).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });

  it('rejects contradictory options with one clear sentence', () => {
    expect(() => validateBackoff({ baseDelayMs: 1000, maxDelayMs: 10 })).toThrow(
      /maxDelayMs \(10\) must be at least/,
    );
    expect(() => validateBackoff({ baseDelayMs: -1, maxDelayMs: 10 })).toThrow(/non-negative/);
    expect(() => validateBackoff({ baseDelayMs: Number.NaN, maxDelayMs: 10 })).toThrow(/non-negative/);
  });
});
