/** @jsxImportSource preact */
/**
 * Dashboard toolbar: start/stop each stream (unsubscribe/subscribe), pause/resume the display while
 * data keeps buffering, clear the feed, refresh from history, export the chart data as CSV.
 */
import { downloadText } from '../lib/csv.ts';
import {
  activityStreaming,
  clearActivity,
  refreshActivity,
  renderActivitySoon,
  startActivity,
  stopActivity,
} from './activity-store.ts';
import { metricsCsv } from './chart-data.ts';
import {
  bufferedPoints,
  dashboardPaused,
  metricsStreaming,
  refreshMetrics,
  setPaused,
  startMetrics,
  stopMetrics,
} from './metrics-store.ts';

function toggleMetrics(): void {
  if (metricsStreaming.peek()) stopMetrics();
  else startMetrics();
}

function toggleActivity(): void {
  if (activityStreaming.peek()) stopActivity();
  else startActivity();
}

function togglePause(): void {
  setPaused(!dashboardPaused.peek());
  renderActivitySoon();
}

function refresh(): void {
  Promise.all([refreshMetrics(), refreshActivity()]).catch((error: unknown) =>
    console.warn('[refresh]', error),
  );
}

function exportCsv(): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  downloadText(`trendstream-metrics-${stamp}.csv`, metricsCsv(bufferedPoints()));
}

export function DashboardControls() {
  const paused = dashboardPaused.value;
  return (
    <div class="toolbar dashboard-controls" role="toolbar" aria-label="Dashboard controls">
      <StreamSwitch label="Metrics" on={metricsStreaming.value} onToggle={toggleMetrics} />
      <StreamSwitch label="Activity" on={activityStreaming.value} onToggle={toggleActivity} />
      <span class="toolbar-gap" />
      <button type="button" class="button" aria-pressed={paused} onClick={togglePause} data-testid="pause">
        {paused ? '▶ Resume' : '❚❚ Pause'}
      </button>
      <button type="button" class="button" onClick={refresh} data-testid="refresh">
        ⟳ Refresh
      </button>
      <button type="button" class="button" onClick={clearActivity} data-testid="clear-feed">
        Clear feed
      </button>
      <button type="button" class="button" onClick={exportCsv} data-testid="export-csv">
        ⤓ CSV
      </button>
    </div>
  );
}

function StreamSwitch({ label, on, onToggle }: { label: string; on: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      class={`switch ${on ? 'on' : 'off'}`}
      onClick={onToggle}
      data-testid={`stream-${label.toLowerCase()}`}
    >
      <span class="switch-track" aria-hidden="true">
        <span class="switch-thumb" />
      </span>
      {label} {on ? 'on' : 'off'}
    </button>
  );
}
