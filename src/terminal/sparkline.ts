/**
 * A one-line chart of a topic's recent scores from Unicode block characters (▁▂▃▄▅▆▇█), or from
 * ASCII ones (`_.-:=+*#`) outside UTF-8 locales (glyphs.ts).
 * asciichart draws multi-line charts; a row of the trend list has room for one line only.
 */
import { UNICODE_GLYPHS } from './glyphs.ts';

/**
 * The last `width` values scaled between their own min and max. A flat series draws a
 * middle line, an empty one draws nothing; non-finite values are skipped.
 */
export function sparkline(
  values: readonly number[],
  width: number,
  blocks: readonly string[] = UNICODE_GLYPHS.blocks,
): string {
  const count = Math.floor(width);
  if (!(count > 0)) return '';
  const points = values.filter((value) => Number.isFinite(value)).slice(-count);
  if (points.length === 0) return '';
  const min = Math.min(...points);
  const max = Math.max(...points);
  const span = max - min;
  if (span === 0) return blocks[Math.floor((blocks.length - 1) / 2)].repeat(points.length);
  return points.map((value) => blocks[Math.round(((value - min) / span) * (blocks.length - 1))]).join('');
}
