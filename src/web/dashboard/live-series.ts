/**
 * What makes a live view honest about missing data, as pure functions (unit-tested in Node):
 *
 * - **Gaps**: a chart joins consecutive samples with a line, so a hole in the samples (an outage, a
 *   stream switched off, a backfill from history that could not reach back far enough) would be drawn
 *   as invented data. `alignWithGaps` puts a row of nulls inside every hole wider than
 *   `GAP_AFTER_INTERVALS` (about two) sample intervals; uPlot breaks the line there (`spanGaps: false`).
 * - **Staleness**: the values on screen are not live while the connection is down, the stream is
 *   off, the display is paused, or no sample came for `STALE_AFTER_INTERVALS` intervals.
 *   `staleReason` says which, `staleText` says it to the user with the time of the last update.
 *
 * The sample interval is not on the wire: it is read off the samples themselves (`sampleInterval`).
 */
import type { ClientState } from '../../client/types.ts';
import { formatClock } from '../lib/format.ts';

/** Seconds between samples until two samples tell otherwise (the metrics feed's default). */
export const DEFAULT_INTERVAL_S = 1;
/**
 * Consecutive samples further apart than this many intervals have a gap between them. Above 2, so
 * that one skipped beat (the feed skips a tick when a sample is slow, so two samples ~2 intervals
 * apart, plus jitter) is not drawn as an outage.
 */
export const GAP_AFTER_INTERVALS = 2.5;
/** With no new sample for this many intervals, the data on screen is stale. */
export const STALE_AFTER_INTERVALS = 3;

/**
 * The usual time between samples, in the unit of `times`: the lower quartile of the positive steps.
 * Not the median: on a loaded host the feed skips many ticks, and once half the steps are doubled the
 * median doubles too, which would hide a real outage of a few intervals.
 */
export function sampleInterval(times: readonly number[]): number {
  const steps: number[] = [];
  for (let index = 1; index < times.length; index += 1) {
    const step = (times[index] ?? 0) - (times[index - 1] ?? 0);
    if (step > 0) steps.push(step);
  }
  if (steps.length === 0) return DEFAULT_INTERVAL_S;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 4)] ?? DEFAULT_INTERVAL_S;
}

/** A hole in the samples: the last sample before it and the first after it (same unit as the times). */
export interface Gap {
  from: number;
  to: number;
}

/** The holes wider than `GAP_AFTER_INTERVALS` intervals between consecutive (sorted) samples. */
export function findGaps(times: readonly number[], interval = sampleInterval(times)): Gap[] {
  const gaps: Gap[] = [];
  for (let index = 1; index < times.length; index += 1) {
    const from = times[index - 1] ?? 0;
    const to = times[index] ?? 0;
    if (to - from > GAP_AFTER_INTERVALS * interval) gaps.push({ from, to });
  }
  return gaps;
}

/** uPlot's columns: `[times, ...one column per series]`, nulls where there is no data. */
export type AlignedColumns = [number[], ...(number | null)[][]];

/**
 * Chart columns from sorted samples, with a row of nulls one interval after the last sample before
 * each gap, so the line (and its fill) stops there instead of crossing the hole.
 */
export function alignWithGaps(
  times: readonly number[],
  columns: readonly (readonly number[])[],
  interval = sampleInterval(times),
): AlignedColumns {
  const xs: number[] = [];
  const ys = columns.map((): (number | null)[] => []);
  times.forEach((time, index) => {
    xs.push(time);
    ys.forEach((column, series) => column.push(columns[series]?.[index] ?? null));
    const next = times[index + 1];
    if (next !== undefined && next - time > GAP_AFTER_INTERVALS * interval) {
      xs.push(time + interval);
      for (const column of ys) column.push(null);
    }
  });
  return [xs, ...ys];
}

/** Why the data on screen is not live, most important first; undefined while it is live. */
export type StaleReason = 'stopped' | 'disconnected' | 'offline' | 'paused' | 'late';

export interface LiveInputs {
  connection: ClientState;
  /** The stream is switched on (subscribed). */
  streaming: boolean;
  /** The display is frozen by the user (data keeps buffering). */
  paused: boolean;
  /** No sample arrived for `STALE_AFTER_INTERVALS` intervals. */
  overdue: boolean;
}

export function staleReason(inputs: LiveInputs): StaleReason | undefined {
  if (!inputs.streaming) return 'stopped';
  if (inputs.connection === 'disconnected') return 'disconnected';
  if (inputs.connection !== 'connected') return 'offline';
  if (inputs.paused) return 'paused';
  if (inputs.overdue) return 'late';
  return undefined;
}

const REASONS: Record<StaleReason, string> = {
  stopped: 'stream switched off',
  disconnected: 'disconnected',
  offline: 'connection lost',
  paused: 'display paused',
  late: 'no new samples',
};

/** `Stale · last update 12:03:04 (connection lost)`: what the cards and charts say while not live. */
export function staleText(reason: StaleReason, lastUpdate: string | number | undefined): string {
  const head = reason === 'paused' ? 'Paused' : 'Stale';
  const when = lastUpdate === undefined ? '' : ` · last update ${formatClock(lastUpdate)}`;
  return `${head}${when} (${REASONS[reason]})`;
}
