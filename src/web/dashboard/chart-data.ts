/**
 * The dashboard's chart series and CSV rows, derived from the displayed metric points. Where samples
 * are missing (an outage, the stream switched off, a backfill that left a hole) the series have a
 * null row, so the charts show a gap instead of a line across it.
 */
import { computed } from '@preact/signals';
import type uPlot from 'uplot';
import type { MetricsPayload } from '../../protocol/payloads.ts';
import { toCsv } from '../lib/csv.ts';
import { alignWithGaps } from './live-series.ts';
import { displayedPoints, type MetricPoint } from './metrics-store.ts';

/** Chart columns of `points`: times, then one column per picked metric, with gaps as null rows. */
export function metricColumns(
  points: readonly MetricPoint[],
  picks: readonly ((metrics: MetricsPayload) => number)[],
): uPlot.AlignedData {
  return alignWithGaps(
    points.map((point) => point.time),
    picks.map((pick) => points.map((point) => pick(point.metrics))),
  );
}

export const usageChartData = computed<uPlot.AlignedData>(() =>
  metricColumns(displayedPoints.value, [(m) => m.cpu, (m) => m.memory]),
);

export const networkChartData = computed<uPlot.AlignedData>(() =>
  metricColumns(displayedPoints.value, [(m) => m.network_recv_rate, (m) => m.network_sent_rate]),
);

export const dataChartData = computed<uPlot.AlignedData>(() =>
  metricColumns(displayedPoints.value, [(m) => m.data]),
);

export const CSV_HEADER = [
  'timestamp',
  'seq',
  'cpu_percent',
  'memory_percent',
  'memory_used_bytes',
  'network_recv_rate',
  'network_sent_rate',
  'data',
  'connections',
  'network_interfaces',
];

export function metricsCsv(points: readonly MetricPoint[]): string {
  return toCsv(
    CSV_HEADER,
    points.map(({ seq, metrics }) => [
      metrics.timestamp,
      seq,
      metrics.cpu,
      metrics.memory,
      metrics.memory_used_bytes,
      metrics.network_recv_rate,
      metrics.network_sent_rate,
      metrics.data,
      metrics.connections,
      // Which interfaces the network columns sum (space-separated; empty from hubs that do not say).
      (metrics.interfaces ?? []).join(' '),
    ]),
  );
}
