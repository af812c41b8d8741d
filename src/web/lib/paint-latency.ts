/**
 * Publish→paint delay: from a publication's server `timestamp` to the moment the frame that shows it
 * has been painted. Server and browser clocks are compared directly, so the figure is meaningful when
 * both run on one machine (or NTP-synced ones). Samples are bounded; the stats panel shows the summary.
 */
import { signal } from '@preact/signals';
import { afterNextPaint } from './frame-scheduler.ts';

const MAX_SAMPLES = 200;
const samples: number[] = [];

export interface PaintLatencySummary {
  last: number;
  median: number;
  p95: number;
  count: number;
}

export const paintLatency = signal<PaintLatencySummary | undefined>(undefined);

/** Call while rendering a publication: the delay is taken once the frame has painted. */
export function measurePublishToPaint(serverTimestamp: string): void {
  const publishedAt = Date.parse(serverTimestamp);
  if (Number.isNaN(publishedAt)) return;
  afterNextPaint(() => recordSample(performance.timeOrigin + performance.now() - publishedAt));
}

function recordSample(delayMs: number): void {
  samples.push(delayMs);
  if (samples.length > MAX_SAMPLES) samples.shift();
  const sorted = [...samples].sort((a, b) => a - b);
  paintLatency.value = {
    last: delayMs,
    median: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    count: samples.length,
  };
}

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? 0;
}
