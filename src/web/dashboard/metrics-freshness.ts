/**
 * Whether the metric cards and charts show live data, and if not, why and since when: the
 * connection, the metrics switch, the pause button and the time since the last sample, put together
 * by `staleReason` (live-series.ts). Undefined while live, or while there is nothing on screen yet.
 */
import { computed } from '@preact/signals';
import { connectionState } from '../lib/hub.ts';
import { staleReason, staleText, type StaleReason } from './live-series.ts';
import { dashboardPaused, latestMetrics, metricsOverdue, metricsStreaming } from './metrics-store.ts';

export interface MetricsStaleness {
  reason: StaleReason;
  /** `Stale · last update 12:03:04 (connection lost)`. */
  text: string;
  /** The timestamp of the newest sample on screen. */
  lastUpdate: string;
}

export const metricsStaleness = computed<MetricsStaleness | undefined>(() => {
  const latest = latestMetrics.value;
  if (!latest) return undefined;
  const reason = staleReason({
    connection: connectionState.value,
    streaming: metricsStreaming.value,
    paused: dashboardPaused.value,
    overdue: metricsOverdue.value,
  });
  if (!reason) return undefined;
  return { reason, text: staleText(reason, latest.timestamp), lastUpdate: latest.timestamp };
});
