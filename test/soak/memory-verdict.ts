/**
 * "Is memory flat?" from a series of samples: after a warm-up, compare the median of the first third
 * with the median of the last third. Flat when the later median is within 10 % (plus 8 MB of slack for
 * the allocator's granularity) of the earlier one. Medians, so one GC-timing spike decides nothing.
 */
import type { ServerSample } from './server-metrics.ts';

export interface MemoryVerdict {
  flat: boolean;
  metric: 'rssMb' | 'heapMb';
  early: number;
  late: number;
  growthPercent: number;
}

export function memoryVerdict(
  samples: ServerSample[],
  metric: 'rssMb' | 'heapMb',
  warmupSeconds: number,
): MemoryVerdict {
  const steady = samples.filter((s) => s.atSeconds >= warmupSeconds);
  const third = Math.max(1, Math.floor(steady.length / 3));
  const early = round1(median(steady.slice(0, third).map((s) => s[metric])));
  const late = round1(median(steady.slice(-third).map((s) => s[metric])));
  const growthPercent = Math.round(((late - early) / early) * 1000) / 10;
  return { flat: late <= early * 1.1 + 8, metric, early, late, growthPercent };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
