/** @jsxImportSource preact */
/** The landing view: metric cards, live charts, activity feed and connection statistics. */
import { useEffect } from 'preact/hooks';
import { ActivityFeed } from './activity-feed.tsx';
import { ConnectionStats } from './connection-stats.tsx';
import { DashboardControls } from './dashboard-controls.tsx';
import { MetricCards } from './metric-cards.tsx';
import { MetricCharts } from './metric-charts.tsx';
import { dashboardOnScreen, dashboardPaused } from './metrics-store.ts';

export function DashboardView() {
  useEffect(() => {
    dashboardOnScreen.value = true;
    return () => {
      dashboardOnScreen.value = false;
    };
  }, []);
  return (
    <section class="view dashboard" aria-labelledby="dashboard-title">
      <header class="view-header">
        <h2 id="dashboard-title">Dashboard</h2>
        {dashboardPaused.value ? (
          <span class="pill pill-warn" data-testid="paused-badge">
            Paused: data is buffering
          </span>
        ) : null}
        <DashboardControls />
      </header>
      <MetricCards />
      <MetricCharts />
      <div class="dashboard-bottom">
        <ActivityFeed />
        <ConnectionStats />
      </div>
    </section>
  );
}
