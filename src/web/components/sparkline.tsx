/** @jsxImportSource preact */
/**
 * A tiny inline SVG line of recent values (trend scores, prices). Decorative unless given a `label`,
 * which makes it an image with that text alternative (e.g. "Rising over the last 20 ticks").
 */

export interface SparklineProps {
  values: readonly number[];
  width?: number;
  height?: number;
  rising?: boolean;
  label?: string;
}

export function Sparkline({ values, width = 96, height = 24, rising, label }: SparklineProps) {
  const a11y = label ? { role: 'img' as const, 'aria-label': label } : { 'aria-hidden': true };
  if (values.length < 2) return <svg class="sparkline" width={width} height={height} {...a11y} />;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = width / (values.length - 1);
  const points = values
    .map(
      (value, index) =>
        `${(index * step).toFixed(1)},${(height - 2 - ((value - min) / span) * (height - 4)).toFixed(1)}`,
    )
    .join(' ');
  const up = rising ?? (values.at(-1) ?? 0) >= (values[0] ?? 0);
  return (
    <svg
      class={`sparkline ${up ? 'up' : 'down'}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      {...a11y}
    >
      <polyline
        points={points}
        fill="none"
        stroke="currentColor"
        stroke-width="1.5"
        stroke-linejoin="round"
      />
    </svg>
  );
}
