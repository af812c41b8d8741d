/** The pure rules behind honest live charts: the sample interval, gaps as null rows, staleness. */
import { describe, expect, it } from 'vitest';
import {
  alignWithGaps,
  findGaps,
  sampleInterval,
  staleReason,
  staleText,
  type LiveInputs,
} from '../../src/web/dashboard/live-series.ts';
import { formatClock } from '../../src/web/lib/format.ts';

describe('sampleInterval', () => {
  it('is the usual step between samples, whatever the holes', () => {
    expect(sampleInterval([])).toBe(1);
    expect(sampleInterval([100])).toBe(1);
    expect(sampleInterval([100, 101, 102, 103])).toBe(1);
    expect(sampleInterval([100, 102, 104, 110, 112, 114])).toBe(2);
    // A long outage and jitter do not move it.
    expect(sampleInterval([0, 1.02, 1.98, 3, 4.01, 30, 31, 32.03, 33])).toBeCloseTo(1, 1);
    expect(sampleInterval([5, 5, 6, 7])).toBe(1);
    // A loaded feed that skipped most ticks: still the 1 s beat, so a 5 s hole stays a gap.
    expect(sampleInterval([0, 1, 3, 5, 7, 8, 10, 12])).toBe(1);
    expect(findGaps([0, 1, 3, 5, 7, 8, 10, 12, 18])).toEqual([{ from: 12, to: 18 }]);
  });
});

describe('gaps', () => {
  const times = [100, 101, 102, 108, 109, 110];

  it('finds holes wider than about two intervals, but not one skipped beat', () => {
    expect(findGaps(times)).toEqual([{ from: 102, to: 108 }]);
    // A slow sample makes the feed skip a tick: ~2 intervals, with jitter, is still continuous.
    expect(findGaps([100, 101, 103.1, 104, 105])).toEqual([]);
    expect(findGaps([100, 101, 104, 105, 106])).toEqual([{ from: 101, to: 104 }]);
  });

  it('puts a row of nulls in each hole, so the line stops instead of crossing it', () => {
    const cpu = [10, 11, 12, 50, 51, 52];
    const memory = [40, 40, 41, 41, 42, 42];
    expect(alignWithGaps(times, [cpu, memory])).toEqual([
      [100, 101, 102, 103, 108, 109, 110],
      [10, 11, 12, null, 50, 51, 52],
      [40, 40, 41, null, 41, 42, 42],
    ]);
  });

  it('leaves continuous data as it is, and marks a hole the backfill could not fill', () => {
    expect(alignWithGaps([1, 2, 3], [[5, 6, 7]])).toEqual([
      [1, 2, 3],
      [5, 6, 7],
    ]);
    expect(alignWithGaps([], [[]])).toEqual([[], []]);
    // Before an outage every second, then history after the reconnect starts 20 s later.
    const before = [0, 1, 2, 3, 4];
    const backfill = [24, 25, 26, 27];
    const [xs, ys] = alignWithGaps([...before, ...backfill], [[0, 0, 0, 0, 0, 1, 1, 1, 1]]);
    expect(xs).toEqual([0, 1, 2, 3, 4, 5, 24, 25, 26, 27]);
    expect(ys?.filter((value) => value === null)).toHaveLength(1);
  });
});

describe('staleness', () => {
  const live: LiveInputs = { connection: 'connected', streaming: true, paused: false, overdue: false };

  it('is live only when connected, subscribed, not paused and samples keep coming', () => {
    expect(staleReason(live)).toBeUndefined();
    expect(staleReason({ ...live, connection: 'reconnecting' })).toBe('offline');
    expect(staleReason({ ...live, connection: 'connecting' })).toBe('offline');
    expect(staleReason({ ...live, connection: 'disconnected' })).toBe('disconnected');
    expect(staleReason({ ...live, streaming: false })).toBe('stopped');
    expect(staleReason({ ...live, paused: true })).toBe('paused');
    expect(staleReason({ ...live, overdue: true })).toBe('late');
    // The stream switch explains more than the connection; the connection more than the pause.
    expect(staleReason({ ...live, streaming: false, connection: 'reconnecting' })).toBe('stopped');
    expect(staleReason({ ...live, paused: true, connection: 'reconnecting' })).toBe('offline');
  });

  it('says why and when the last update was, in the feed’s clock format', () => {
    const at = '2025-03-01T12:03:04.500Z';
    const clock = formatClock(at);
    expect(clock).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(staleText('offline', at)).toBe(`Stale · last update ${clock} (connection lost)`);
    expect(staleText('stopped', at)).toBe(`Stale · last update ${clock} (stream switched off)`);
    expect(staleText('late', at)).toBe(`Stale · last update ${clock} (no new samples)`);
    expect(staleText('paused', at)).toBe(`Paused · last update ${clock} (display paused)`);
    expect(staleText('disconnected', undefined)).toBe('Stale (disconnected)');
  });
});
