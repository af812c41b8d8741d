/** The bench's figures are only as good as its percentiles: check them against exact answers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Histogram,
  MAX_TRACKABLE,
  bucketIndex,
  bucketLowerBound,
  bucketUpperBound,
  percentileOfSorted,
  ratio,
  type SparseHistogram,
} from './stats.ts';

function histogramOf(values: readonly number[]): Histogram {
  const histogram = new Histogram();
  for (const value of values) histogram.record(value);
  return histogram;
}

describe('percentileOfSorted (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('returns the value at rank ceil(p × n)', () => {
    expect(percentileOfSorted(oneToHundred, 50)).toBe(50);
    expect(percentileOfSorted(oneToHundred, 95)).toBe(95);
    expect(percentileOfSorted(oneToHundred, 99)).toBe(99);
    expect(percentileOfSorted(oneToHundred, 99.5)).toBe(100);
    expect(percentileOfSorted(oneToHundred, 100)).toBe(100);
    expect(percentileOfSorted(oneToHundred, 0)).toBe(1);
    expect(percentileOfSorted([1, 2, 3, 4], 50)).toBe(2);
    expect(percentileOfSorted([7], 99)).toBe(7);
    expect(percentileOfSorted([], 50)).toBe(0);
  });
});

describe('histogram buckets', () => {
  it('are exact below 256 and contiguous above', () => {
    for (let v = 0; v < 256; v += 1) expect(bucketIndex(v)).toBe(v);
    for (let i = 1; i < bucketIndex(MAX_TRACKABLE); i += 1) {
      expect(bucketLowerBound(i)).toBe(bucketUpperBound(i - 1) + 1);
      expect(bucketIndex(bucketLowerBound(i))).toBe(i);
      expect(bucketIndex(bucketUpperBound(i))).toBe(i);
    }
  });

  it('are never wider than 1/128 of their lower bound', () => {
    for (let i = 256; i <= bucketIndex(MAX_TRACKABLE); i += 1) {
      const width = bucketUpperBound(i) - bucketLowerBound(i) + 1;
      expect(width / bucketLowerBound(i)).toBeLessThanOrEqual(1 / 128);
    }
  });
});

describe('Histogram', () => {
  it('is exact for small values', () => {
    const h = histogramOf(Array.from({ length: 100 }, (_, i) => i + 1));
    const s = h.summary();
    expect([s.count, s.min, s.max, s.p50, s.p95, s.p99]).toEqual([100, 1, 100, 50, 95, 99]);
    expect(s.mean).toBeCloseTo(50.5, 10);
  });

  it('matches exact percentiles within 1/128 on arbitrary data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0, 1, 50, 90, 95, 99, 99.9, 100),
        (values, p) => {
          const exact = percentileOfSorted(
            [...values].sort((a, b) => a - b),
            p,
          );
          const estimate = histogramOf(values).percentile(p);
          expect(estimate).toBeGreaterThanOrEqual(exact);
          expect(estimate - exact).toBeLessThanOrEqual(exact / 128);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts a skewed tail where it belongs', () => {
    // 990 fast deliveries and 10 stalled ones: p99 is still fast, p99.9 is the stall.
    const values = [...Array.from({ length: 990 }, () => 1000), ...Array.from({ length: 10 }, () => 900_000)];
    const h = histogramOf(values);
    expect(h.percentile(99)).toBeGreaterThanOrEqual(1000);
    expect(h.percentile(99)).toBeLessThanOrEqual(1000 + 1000 / 128);
    expect(h.percentile(99.1)).toBeGreaterThanOrEqual(900_000);
    expect(h.summary().max).toBe(900_000);
  });

  it('merges (also through its sparse form) like one histogram of all values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 200 }),
        (a, b) => {
          const merged = histogramOf(a);
          const copy = JSON.parse(JSON.stringify(histogramOf(b).toSparse())) as SparseHistogram;
          merged.merge(Histogram.fromSparse(copy));
          expect(merged.summary()).toEqual(histogramOf([...a, ...b]).summary());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('clamps negative and huge values, and reports zeros when empty', () => {
    const h = new Histogram();
    expect(h.summary()).toEqual({
      count: 0,
      min: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p999: 0,
      max: 0,
    });
    h.record(-5);
    h.record(1e12);
    expect(h.summary().min).toBe(0);
    expect(h.summary().max).toBe(MAX_TRACKABLE);
    h.reset();
    expect(h.count).toBe(0);
  });

  it('draws a percentile curve ending at 100%', () => {
    const curve = histogramOf([5, 5, 10, 300]).percentileCurve();
    expect(curve[0]).toEqual([5, 50]);
    expect(curve.at(-1)).toEqual([300, 100]);
  });
});

describe('ratio', () => {
  it('divides and rounds, and refuses missing or zero denominators', () => {
    expect(ratio(9, 12)).toBe(0.75);
    expect(ratio(1, 0)).toBeUndefined();
    expect(ratio(undefined, 3)).toBeUndefined();
  });
});
