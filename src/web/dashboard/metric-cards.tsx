/** @jsxImportSource preact */
/**
 * CPU, memory, disk and network cards with live values and progress bars. While the values are not
 * live (connection down, stream off, display paused, samples overdue) the cards are dimmed and a
 * note above them, also a polite live region, says why and when the last update was.
 */
import { ProgressCard } from '../components/progress-card.tsx';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../lib/format.ts';
import { metricsStaleness } from './metrics-freshness.ts';
import { displayedPoints, latestMetrics } from './metrics-store.ts';

/** A network bar has no natural 100%: it is drawn against the busiest second on the chart. */
function peakRate(pick: (point: { network_recv_rate: number; network_sent_rate: number }) => number): number {
  let peak = 0;
  for (const point of displayedPoints.value) peak = Math.max(peak, pick(point.metrics));
  return peak;
}

/** `via eth0`, `via eth0, wlan0`, `via lo, eth0, docker0 +2`: which interfaces the figures sum. */
export function interfacesText(interfaces: readonly string[] | undefined): string {
  if (!interfaces) return '';
  if (interfaces.length === 0) return ' · no interfaces';
  const shown = interfaces.slice(0, 3).join(', ');
  const more = interfaces.length > 3 ? ` +${interfaces.length - 3}` : '';
  return ` · via ${shown}${more}`;
}

export function MetricCards() {
  const metrics = latestMetrics.value;
  const staleness = metricsStaleness.value;
  // Always in the page, so that screen readers announce the note when it appears.
  const note = (
    <p
      id="metrics-stale-note"
      role="status"
      class={staleness ? 'stale-note' : 'visually-hidden'}
      data-testid="metrics-stale"
      data-reason={staleness?.reason}
    >
      {staleness?.text ?? ''}
    </p>
  );
  if (!metrics) {
    return (
      <div class="metric-block">
        {note}
        <div class="metric-cards" data-testid="metric-cards">
          <p class="empty">Waiting for the first metrics…</p>
        </div>
      </div>
    );
  }
  const recvPeak = peakRate((m) => m.network_recv_rate);
  const sentPeak = peakRate((m) => m.network_sent_rate);
  const [load1 = 0, load5 = 0, load15 = 0] = metrics.load_average;
  const via = interfacesText(metrics.interfaces);
  return (
    <div class="metric-block">
      {note}
      <div
        class={`metric-cards${staleness ? ' is-stale' : ''}`}
        data-testid="metric-cards"
        data-stale={staleness ? 'true' : undefined}
        role="group"
        aria-label="Host metrics"
        aria-describedby={staleness ? 'metrics-stale-note' : undefined}
      >
        <ProgressCard
          label="CPU"
          value={formatPercent(metrics.cpu)}
          percent={metrics.cpu}
          detail={`1/5/15-min load ${load1.toFixed(2)} · ${load5.toFixed(2)} · ${load15.toFixed(2)}`}
          testId="card-cpu"
        />
        <ProgressCard
          label="Memory"
          value={formatPercent(metrics.memory)}
          percent={metrics.memory}
          detail={`${formatBytes(metrics.memory_used_bytes)} of ${formatBytes(metrics.memory_total_bytes)}`}
          testId="card-memory"
        />
        <ProgressCard
          label="Network in"
          value={formatRate(metrics.network_recv_rate)}
          percent={recvPeak > 0 ? (metrics.network_recv_rate / recvPeak) * 100 : 0}
          detail={`${formatBytes(metrics.network_recv)} total${via}`}
          testId="card-network-in"
        />
        <ProgressCard
          label="Network out"
          value={formatRate(metrics.network_sent_rate)}
          percent={sentPeak > 0 ? (metrics.network_sent_rate / sentPeak) * 100 : 0}
          detail={`${formatBytes(metrics.network_sent)} total${via}`}
          testId="card-network-out"
        />
        <ProgressCard
          label="Disk"
          value={formatPercent(metrics.disk)}
          percent={metrics.disk}
          detail={`up ${formatDuration(metrics.uptime_seconds)}`}
          testId="card-disk"
        />
      </div>
    </div>
  );
}
