/**
 * A one-line chart of a topic's recent scores from Unicode block characters (▁▂▃▄▅▆▇█).
 * asciichart draws multi-line charts; a row of the trend list has room for one line only.
 */

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `width` values scaled between their own min and max. A flat series draws a
 * middle line, an empty one draws nothing; non-finite values are skipped.
 */
export function sparkline(values: readonly number[], width: number): string {
  const count = Math.floor(width);
  if (!(count > 0)) return '';
  const points = values.filter((value) => Number.isFinite(value)).slice(-count);
  if (points.length === 0) return '';
  const min = Math.min(...points);
  const max = Math.max(...points);
  const span = max - min;
  if (span === 0) return BLOCKS[3].repeat(points.length);
  return points.map((value) => BLOCKS[Math.round(((value - min) / span) * (BLOCKS.length - 1))]).join('');
}
