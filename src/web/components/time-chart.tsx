/** @jsxImportSource preact */
/**
 * A streaming line chart on uPlot. The chart is created once (again only when the theme changes) and
 * updated in place with `setData` whenever its data signal changes, i.e. at most once per frame.
 */
import { effect, type ReadonlySignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cssVar, theme } from '../lib/theme.ts';

export interface ChartSeries {
  label: string;
  /** CSS custom property holding the line colour, e.g. `--chart-1`. */
  colorVar: string;
  fill?: boolean;
}

export interface TimeChartProps {
  title: string;
  series: ChartSeries[];
  /** `[times (epoch s), ...one array per series]`. */
  data: ReadonlySignal<uPlot.AlignedData>;
  formatValue: (value: number) => string;
  /** Fixed y range (percentages); `data` fits the data (prices); by default from zero to the maximum. */
  yRange?: [number, number] | 'data';
  height?: number;
  testId?: string;
}

export function TimeChart(props: TimeChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const currentTheme = theme.value;
  const height = props.height ?? 180;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    const chart = new uPlot(
      chartOptions(propsRef.current, host.clientWidth, height),
      props.data.peek(),
      host,
    );
    const resizeObserver = new ResizeObserver(() => chart.setSize({ width: host.clientWidth, height }));
    resizeObserver.observe(host);
    const stopUpdates = effect(() => {
      const data = props.data.value;
      chart.setData(data);
      // Exposed for the end-to-end tests and for anyone inspecting the page.
      host.dataset.points = String(data[0].length);
    });
    return () => {
      stopUpdates();
      resizeObserver.disconnect();
      chart.destroy();
    };
  }, [currentTheme, props.data, height]);

  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div class="chart-host" ref={hostRef} />
    </figure>
  );
}

function chartOptions(props: TimeChartProps, width: number, height: number): uPlot.Options {
  const axisColor = cssVar('--text-muted');
  const gridColor = cssVar('--grid');
  const font = '11px system-ui, sans-serif';
  const formatTick = (_chart: uPlot, ticks: number[]): string[] =>
    ticks.map((tick) => props.formatValue(tick));
  return {
    width: Math.max(width, 200),
    height,
    cursor: { drag: { x: false, y: false } },
    legend: { show: true, live: false },
    scales: {
      x: { time: true },
      y: yScale(props.yRange),
    },
    axes: [
      { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, font },
      {
        stroke: axisColor,
        grid: { stroke: gridColor, width: 1 },
        ticks: { stroke: gridColor },
        font,
        size: axisSize,
        values: formatTick,
      },
    ],
    series: [
      {},
      ...props.series.map((series): uPlot.Series => {
        const color = cssVar(series.colorVar);
        return {
          label: series.label,
          stroke: color,
          width: 2,
          fill: series.fill ? `${color}22` : undefined,
          points: { show: false },
          value: (_chart, value) => (value === null ? '–' : props.formatValue(value)),
        };
      }),
    ],
  };
}

function yScale(yRange: TimeChartProps['yRange']): uPlot.Scale {
  if (yRange === 'data') return {};
  if (yRange) return { range: yRange };
  return { range: (_chart, _min, max) => [0, max > 0 ? max * 1.1 : 1] };
}

/** Room for the widest tick label, so `195 KB/s` is not clipped. */
function axisSize(_chart: uPlot, values: string[] | null): number {
  const widest = values ? Math.max(0, ...values.map((value) => value.length)) : 4;
  return Math.max(40, widest * 7 + 18);
}
