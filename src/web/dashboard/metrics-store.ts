/**
 * The dashboard's metrics stream: the last 50 points of `metrics`, kept in seq order without
 * duplicates. Publications are buffered as they arrive and reach the screen once per frame; while
 * paused they keep buffering and the display stays frozen. After a reconnect the SDK replays what
 * was missed; when it cannot (`recovered: false`), the points come from the channel's history.
 * `metricsOverdue` turns on when no sample arrived for a few sample intervals (see live-series.ts).
 */
import { signal } from '@preact/signals';
import type { PublicationFrame, SubscribedInfo } from '../../client/types.ts';
import { Channel } from '../../protocol/channels.ts';
import { isMetricsPayload } from '../../protocol/payload-guards.ts';
import type { MetricsPayload } from '../../protocol/payloads.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { bindChannel, type ChannelBinding } from '../lib/hub.ts';
import { measurePublishToPaint } from '../lib/paint-latency.ts';
import { sampleInterval, STALE_AFTER_INTERVALS } from './live-series.ts';

export const MAX_POINTS = 50;

export interface MetricPoint {
  /** `epoch:seq`: unique across hub restarts, so old points stay on the chart next to new ones. */
  key: string;
  seq: number;
  /** Epoch seconds (uPlot's time unit). */
  time: number;
  metrics: MetricsPayload;
}

/** What the dashboard shows: changes once per rendered frame. */
export const displayedPoints = signal<readonly MetricPoint[]>([]);
export const latestMetrics = signal<MetricsPayload | undefined>(undefined);
export const metricsStreaming = signal(false);
export const dashboardPaused = signal(false);
/** Set by the dashboard view while mounted; publish→paint is measured only when it paints. */
export const dashboardOnScreen = signal(false);
/** No sample arrived for `STALE_AFTER_INTERVALS` sample intervals while subscribed. */
export const metricsOverdue = signal(false);

let points: MetricPoint[] = [];
let snapshotMetrics: MetricsPayload | undefined;
let unpaintedTimestamps: string[] = [];
let binding: ChannelBinding | undefined;
let overdueTimer: ReturnType<typeof setTimeout> | undefined;

export function startMetrics(): void {
  if (binding) return;
  metricsStreaming.value = true;
  binding = bindChannel(Channel.Metrics, { onPublication, onSubscribed });
}

export function stopMetrics(): void {
  binding?.stop();
  binding = undefined;
  metricsStreaming.value = false;
  clearTimeout(overdueTimer);
  overdueTimer = undefined;
}

/** Seconds between the buffered samples (1 until there are two). */
export function metricsInterval(): number {
  return sampleInterval(points.map((point) => point.time));
}

export function setPaused(paused: boolean): void {
  dashboardPaused.value = paused;
  if (!paused) scheduleRender(renderMetrics);
}

/** Manual refresh: the last 50 points again from the channel's history. */
export async function refreshMetrics(): Promise<void> {
  await loadHistory(true);
}

/** Every buffered point (what the CSV export writes, even while the display is paused). */
export function bufferedPoints(): readonly MetricPoint[] {
  return points;
}

function onSubscribed(info: SubscribedInfo): void {
  armOverdueTimer();
  if (isMetricsPayload(info.snapshot)) snapshotMetrics = info.snapshot;
  if (info.first || !info.recovered) loadHistory(false).catch(reportError);
  scheduleRender(renderMetrics);
}

function onPublication(publication: PublicationFrame): void {
  if (!isMetricsPayload(publication.data)) return;
  mergePoints([toPoint(publication, publication.data)]);
  armOverdueTimer();
  unpaintedTimestamps.push(publication.timestamp);
  scheduleRender(renderMetrics);
}

async function loadHistory(replace: boolean): Promise<void> {
  const subscription = binding?.subscription;
  if (!subscription) return;
  const reply = await subscription.history({ limit: MAX_POINTS });
  if (replace) points = [];
  const loaded: MetricPoint[] = [];
  for (const publication of reply.publications) {
    if (isMetricsPayload(publication.data)) loaded.push(toPoint(publication, publication.data));
  }
  mergePoints(loaded);
  scheduleRender(renderMetrics);
}

function toPoint(publication: PublicationFrame, metrics: MetricsPayload): MetricPoint {
  const time = Date.parse(publication.timestamp || metrics.timestamp) / 1000;
  return { key: `${publication.epoch}:${publication.seq}`, seq: publication.seq, time, metrics };
}

/** Adds points (a point already held is kept once), in time order, keeping the newest MAX_POINTS. */
function mergePoints(incoming: MetricPoint[]): void {
  if (incoming.length === 0) return;
  const byKey = new Map<string, MetricPoint>();
  for (const point of points) byKey.set(point.key, point);
  for (const point of incoming) byKey.set(point.key, point);
  points = [...byKey.values()].sort(compareTimeThenSeq).slice(-MAX_POINTS);
}

function compareTimeThenSeq(a: MetricPoint, b: MetricPoint): number {
  return a.time - b.time || a.seq - b.seq;
}

/** (Re)starts the wait for the next sample: a sample (or a subscription) says the stream is live. */
function armOverdueTimer(): void {
  clearTimeout(overdueTimer);
  if (metricsOverdue.peek()) scheduleRender(renderMetrics);
  overdueTimer = setTimeout(
    () => {
      overdueTimer = undefined;
      metricsOverdue.value = true;
    },
    STALE_AFTER_INTERVALS * metricsInterval() * 1000 + 250,
  );
}

function renderMetrics(): void {
  // Live again once a sample arrived since it went overdue (the timer is then running again).
  if (overdueTimer !== undefined) metricsOverdue.value = false;
  if (dashboardPaused.peek()) {
    // Frozen display: nothing is painted, so nothing is measured.
    unpaintedTimestamps = [];
    return;
  }
  displayedPoints.value = points;
  latestMetrics.value = points.at(-1)?.metrics ?? snapshotMetrics;
  const timestamps = unpaintedTimestamps;
  unpaintedTimestamps = [];
  if (dashboardOnScreen.peek()) for (const timestamp of timestamps) measurePublishToPaint(timestamp);
}

function reportError(error: unknown): void {
  console.warn('[metrics]', error);
}
