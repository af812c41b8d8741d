/** @jsxImportSource preact */
/**
 * A streaming line chart on uPlot. The chart is created once (again only when the theme changes) and
 * updated in place with `setData` whenever its data signal changes, i.e. at most once per frame.
 *
 * Null values are gaps (`spanGaps: false`): the line stops rather than inventing data across them.
 * Times read as the rest of the app writes them (`formatClock`). The legend under the plot shows the
 * values under the cursor while hovering and the latest values otherwise. For assistive technology
 * the plot is an image whose label says the time span, each series' latest value and range, the
 * gaps and, when the chart is not live, why (`stale`).
 */
import { effect, type ReadonlySignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatClock } from '../lib/format.ts';
import { cssVar, theme } from '../lib/theme.ts';

export interface ChartSeries {
  label: string;
  /** CSS custom property holding the line colour, e.g. `--chart-1`. */
  colorVar: string;
  fill?: boolean;
  /** A dashed line (`[dash, gap]` px): tells apart a series that may lie on top of another. */
  dash?: number[];
}

export interface TimeChartProps {
  title: string;
  series: ChartSeries[];
  /** `[times (epoch s), ...one array per series]`. */
  data: ReadonlySignal<uPlot.AlignedData>;
  /** Values in the legend and the text alternative. */
  formatValue: (value: number) => string;
  /** Y-axis tick labels; default `formatValue`. */
  formatTick?: (value: number) => string;
  /**
   * Set while the data is not live: the chart is dimmed and says this (e.g. `Stale · last update
   * 12:03:04 (connection lost)`), visibly and in its text alternative.
   */
  stale?: string;
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
    const chart = new uPlot(chartOptions(propsRef.current, host, height), props.data.peek(), host);
    const resizeObserver = new ResizeObserver(() => chart.setSize({ width: host.clientWidth, height }));
    resizeObserver.observe(host);
    const stopUpdates = effect(() => {
      const data = props.data.value;
      chart.setData(data);
      // Exposed for the end-to-end tests and for anyone inspecting the page.
      const gaps = gapRows(data);
      host.dataset.points = String(data[0].length - gaps.length);
      host.dataset.gaps = String(gaps.length);
      host.dataset.gapTimes = gaps.map((row) => data[0][row]).join(' ');
      labelChart(host, propsRef.current, data);
    });
    return () => {
      stopUpdates();
      resizeObserver.disconnect();
      chart.destroy();
    };
  }, [currentTheme, props.data, height]);

  // The stale note changes without new data (the connection drops): relabel then too.
  useEffect(() => {
    const host = hostRef.current;
    if (host) labelChart(host, propsRef.current, props.data.peek());
  }, [props.stale, props.data]);

  const stale = props.stale;
  return (
    <figure
      class={`chart${stale ? ' is-stale' : ''}`}
      data-testid={props.testId}
      data-stale={stale ? 'true' : undefined}
    >
      <figcaption>
        <span class="chart-title">{props.title}</span>
        {stale ? (
          <span class="chart-stale" data-testid={props.testId ? `${props.testId}-stale` : undefined}>
            {stale}
          </span>
        ) : null}
      </figcaption>
      <div class="chart-host" ref={hostRef} role="img" />
    </figure>
  );
}

/** The indexes of the rows that are all null (the gap markers). */
function gapRows(data: uPlot.AlignedData): number[] {
  const gaps: number[] = [];
  for (let row = 0; row < data[0].length; row += 1) {
    let empty = data.length > 1;
    for (let series = 1; series < data.length && empty; series += 1) {
      if (data[series]?.[row] != null) empty = false;
    }
    if (empty) gaps.push(row);
  }
  return gaps;
}

function labelChart(host: HTMLElement, props: TimeChartProps, data: uPlot.AlignedData): void {
  host.setAttribute('aria-label', describeChart(props, data));
}

/**
 * The chart's text alternative: `CPU & memory, 12:02:14 to 12:03:04. CPU 12% (range 5% to 40%);
 * Memory 45% (range 45% to 46%). 1 gap with no data.` (with the stale note first when not live).
 */
export function describeChart(
  props: Pick<TimeChartProps, 'title' | 'series' | 'formatValue' | 'stale'>,
  data: uPlot.AlignedData,
): string {
  const times = data[0];
  const stale = props.stale ? ` ${props.stale}.` : '';
  if (times.length === 0) return `${props.title}: no data yet.${stale}`;
  const span = `${formatClock((times[0] ?? 0) * 1000)} to ${formatClock((times[times.length - 1] ?? 0) * 1000)}`;
  const parts = props.series.map((series, index) => {
    const values = Array.from(data[index + 1] ?? ([] as ArrayLike<number | null | undefined>)).filter(
      (value): value is number => value != null,
    );
    const latest = values.at(-1);
    if (latest === undefined) return `${series.label}: no data`;
    const min = Math.min(...values);
    const max = Math.max(...values);
    return `${series.label} ${props.formatValue(latest)} (range ${props.formatValue(min)} to ${props.formatValue(max)})`;
  });
  const gaps = gapRows(data).length;
  const holes = gaps === 0 ? '' : ` ${gaps} ${gaps === 1 ? 'gap' : 'gaps'} with no data.`;
  return `${props.title}, ${span}.${stale} Latest: ${parts.join('; ')}.${holes}`;
}

/** The newest non-null value of a series, for the legend while the cursor is off the plot. */
function latestValue(values: uPlot.AlignedData[number] | undefined): number | null {
  if (!values) return null;
  for (let index = values.length - 1; index >= 0; index -= 1) {
    const value = values[index];
    if (value != null) return value;
  }
  return null;
}

function chartOptions(props: TimeChartProps, host: HTMLElement, height: number): uPlot.Options {
  const axisColor = cssVar('--text-muted');
  const gridColor = cssVar('--grid');
  const font = '11px system-ui, sans-serif';
  const formatTick = props.formatTick ?? props.formatValue;
  const valueTicks = (_chart: uPlot, ticks: number[]): string[] => ticks.map((tick) => formatTick(tick));
  const timeTicks = (_chart: uPlot, ticks: number[]): string[] => {
    const labels = ticks.map((tick) => formatClock(tick * 1000));
    // The axis is drawn on the canvas: its labels are exposed for the end-to-end tests.
    host.dataset.timeTicks = labels.join(' ');
    return labels;
  };
  return {
    width: Math.max(host.clientWidth, 200),
    height,
    cursor: { drag: { x: false, y: false } },
    legend: { show: true, live: true },
    scales: {
      x: { time: true },
      y: yScale(props.yRange),
    },
    axes: [
      {
        stroke: axisColor,
        grid: { stroke: gridColor, width: 1 },
        ticks: { stroke: gridColor },
        font,
        values: timeTicks,
        // Room for `12:03:04` under each tick.
        space: 56,
      },
      {
        stroke: axisColor,
        grid: { stroke: gridColor, width: 1 },
        ticks: { stroke: gridColor },
        font,
        size: axisSize,
        values: valueTicks,
      },
    ],
    series: [
      {
        label: 'Time',
        // While hovering: the time under the cursor; otherwise the newest sample's.
        value: (chart, value, _series, index) => {
          const time = index === null ? latestValue(chart.data[0]) : value;
          if (time === null) return '–';
          return index === null ? `${formatClock(time * 1000)} (latest)` : formatClock(time * 1000);
        },
      },
      ...props.series.map((series): uPlot.Series => {
        const color = cssVar(series.colorVar);
        return {
          label: series.label,
          stroke: color,
          width: 2,
          fill: series.fill ? `${color}22` : undefined,
          points: { show: false },
          dash: series.dash,
          spanGaps: false,
          value: (chart, value, seriesIndex, index) => {
            // Off the plot: the latest value. On a gap: say so rather than show a number.
            const shown = index === null ? latestValue(chart.data[seriesIndex]) : value;
            if (shown === null) return index === null ? '–' : 'no data';
            return props.formatValue(shown);
          },
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
