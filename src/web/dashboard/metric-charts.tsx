/** @jsxImportSource preact */
/** The dashboard's three live charts (last 50 points), updated in place. */
import { TimeChart } from '../components/time-chart.tsx';
import { formatCount, formatRate } from '../lib/format.ts';
import { dataChartData, networkChartData, usageChartData } from './chart-data.ts';

const formatPercentTick = (value: number): string => `${Math.round(value)}%`;

export function MetricCharts() {
  return (
    <div class="chart-grid">
      <TimeChart
        title="CPU & memory"
        testId="chart-usage"
        data={usageChartData}
        yRange={[0, 100]}
        formatValue={formatPercentTick}
        series={[
          { label: 'CPU', colorVar: '--chart-1', fill: true },
          { label: 'Memory', colorVar: '--chart-2' },
        ]}
      />
      <TimeChart
        title="Network"
        testId="chart-network"
        data={networkChartData}
        formatValue={formatRate}
        series={[
          { label: 'In', colorVar: '--chart-3', fill: true },
          { label: 'Out', colorVar: '--chart-4' },
        ]}
      />
      <TimeChart
        title="Hub deliveries (messages/s)"
        testId="chart-data"
        data={dataChartData}
        formatValue={formatCount}
        series={[{ label: 'Delivered', colorVar: '--chart-1', fill: true }]}
      />
    </div>
  );
}
