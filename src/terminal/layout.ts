/**
 * How many trend rows fit: the screen must stay shorter than the terminal, or Ink falls back to
 * clearing the whole screen on every frame (flicker). Column widths for narrow terminals too.
 */

/** Lines above the list: title+status, legend, watching line, alert line, blank, column header. */
export const HEADER_LINES = 6;
/** Lines below the list: the "+N more" hint, plus one spare line Ink needs to redraw in place. */
export const FOOTER_LINES = 2;
export const DEFAULT_ROWS = 24;
export const DEFAULT_COLUMNS = 80;
export const MIN_TOP_N = 3;

/** Rows of trends that fit a terminal `rows` high (at least MIN_TOP_N, at most `max` when given). */
export function topN(rows: number | undefined, max?: number): number {
  const height = rows !== undefined && rows > 0 ? rows : DEFAULT_ROWS;
  const fit = Math.max(MIN_TOP_N, height - HEADER_LINES - FOOTER_LINES);
  return max === undefined ? fit : Math.min(fit, max);
}

export interface ColumnLayout {
  name: number;
  category: number;
  score: number;
  change: number;
  sparkline: number;
}

/** Widths of the trend columns for a terminal `columns` wide; the sparkline goes first when narrow. */
export function columnLayout(columns: number | undefined): ColumnLayout {
  const width = columns !== undefined && columns > 0 ? columns : DEFAULT_COLUMNS;
  // rank (4) + move (4) + gaps and the HOT tag (~10) are fixed.
  const fixed = 4 + 4 + 10;
  const score = 9;
  const change = 10;
  const category = width >= 60 ? 9 : 0;
  const rest = width - fixed - score - change - category;
  const sparkline = rest >= 40 ? Math.min(20, rest - 24) : 0;
  const name = Math.max(12, Math.min(32, rest - sparkline));
  return { name, category, score, change, sparkline };
}
