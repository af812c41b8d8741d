/** @jsxImportSource preact */
/**
 * The dashboard's three live charts (last 50 points), updated in place. While the data is not live
 * (see metrics-freshness.ts) each is dimmed and says since when; holes in the samples are gaps.
 */
import { TimeChart } from '../components/time-chart.tsx';
import { formatCount, formatPercent, formatRate } from '../lib/format.ts';
import { dataChartData, networkChartData, usageChartData } from './chart-data.ts';
import { metricsStaleness } from './metrics-freshness.ts';
import { latestMetrics } from './metrics-store.ts';

const formatPercentTick = (value: number): string => `${Math.round(value)}%`;

export function MetricCharts() {
  const stale = metricsStaleness.value?.text;
  const interfaces = latestMetrics.value?.interfaces;
  const networkTitle = interfaces?.length ? `Network (${interfaces.join(', ')})` : 'Network';
  return (
    <div class="chart-grid">
      <TimeChart
        title="CPU & memory"
        testId="chart-usage"
        data={usageChartData}
        yRange={[0, 100]}
        formatValue={formatPercent}
        formatTick={formatPercentTick}
        stale={stale}
        series={[
          { label: 'CPU', colorVar: '--chart-1', fill: true },
          { label: 'Memory', colorVar: '--chart-2' },
        ]}
      />
      <TimeChart
        title={networkTitle}
        testId="chart-network"
        data={networkChartData}
        formatValue={formatRate}
        stale={stale}
        series={[
          { label: 'In', colorVar: '--chart-3', fill: true },
          // Dashed: when in and out are equal (symmetric traffic) both lines stay visible.
          { label: 'Out', colorVar: '--chart-4', dash: [6, 4] },
        ]}
      />
      <TimeChart
        title="Hub deliveries (messages/s)"
        testId="chart-data"
        data={dataChartData}
        formatValue={formatCount}
        stale={stale}
        series={[{ label: 'Delivered', colorVar: '--chart-1', fill: true }]}
      />
    </div>
  );
}
