/** The dashboard's chart series and CSV rows, derived from the displayed metric points. */
import { computed } from '@preact/signals';
import type uPlot from 'uplot';
import { toCsv } from '../lib/csv.ts';
import { displayedPoints, type MetricPoint } from './metrics-store.ts';

function column(points: readonly MetricPoint[], pick: (point: MetricPoint) => number): number[] {
  return points.map(pick);
}

export const usageChartData = computed<uPlot.AlignedData>(() => {
  const points = displayedPoints.value;
  return [
    column(points, (point) => point.time),
    column(points, (point) => point.metrics.cpu),
    column(points, (point) => point.metrics.memory),
  ];
});

export const networkChartData = computed<uPlot.AlignedData>(() => {
  const points = displayedPoints.value;
  return [
    column(points, (point) => point.time),
    column(points, (point) => point.metrics.network_recv_rate),
    column(points, (point) => point.metrics.network_sent_rate),
  ];
});

export const dataChartData = computed<uPlot.AlignedData>(() => {
  const points = displayedPoints.value;
  return [column(points, (point) => point.time), column(points, (point) => point.metrics.data)];
});

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
    ]),
  );
}
