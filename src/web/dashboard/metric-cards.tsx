/** @jsxImportSource preact */
/** CPU, memory, disk and network cards with live values and progress bars. */
import { ProgressCard } from '../components/progress-card.tsx';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../lib/format.ts';
import { displayedPoints, latestMetrics } from './metrics-store.ts';

/** A network bar has no natural 100%: it is drawn against the busiest second on the chart. */
function peakRate(pick: (point: { network_recv_rate: number; network_sent_rate: number }) => number): number {
  let peak = 0;
  for (const point of displayedPoints.value) peak = Math.max(peak, pick(point.metrics));
  return peak;
}

export function MetricCards() {
  const metrics = latestMetrics.value;
  if (!metrics) {
    return (
      <div class="metric-cards" data-testid="metric-cards">
        <p class="empty">Waiting for the first metrics…</p>
      </div>
    );
  }
  const recvPeak = peakRate((m) => m.network_recv_rate);
  const sentPeak = peakRate((m) => m.network_sent_rate);
  const [load1 = 0, load5 = 0, load15 = 0] = metrics.load_average;
  return (
    <div class="metric-cards" data-testid="metric-cards">
      <ProgressCard
        label="CPU"
        value={formatPercent(metrics.cpu)}
        percent={metrics.cpu}
        detail={`load ${load1.toFixed(2)} · ${load5.toFixed(2)} · ${load15.toFixed(2)}`}
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
        detail={`${formatBytes(metrics.network_recv)} total`}
        testId="card-network-in"
      />
      <ProgressCard
        label="Network out"
        value={formatRate(metrics.network_sent_rate)}
        percent={sentPeak > 0 ? (metrics.network_sent_rate / sentPeak) * 100 : 0}
        detail={`${formatBytes(metrics.network_sent)} total`}
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
  );
}
