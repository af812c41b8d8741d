/**
 * How many trend rows fit: the screen must stay shorter than the terminal, or Ink falls back to
 * clearing the whole screen on every frame (flicker). Column widths for narrow terminals too.
 */

/** Lines above the list with a one-line legend: status, legend, watching, alert, stale line, column header. */
export const HEADER_LINES = 6;
/** Lines below the list: the "+N more" hint, plus one spare line Ink needs to redraw in place. */
export const FOOTER_LINES = 2;
export const DEFAULT_ROWS = 24;
export const DEFAULT_COLUMNS = 80;
export const MIN_TOP_N = 3;
/** The rank column (`48.`) and the move column (` ↑16 `: a space, arrow and two digits, a space). */
export const RANK_WIDTH = 4;
export const MOVE_WIDTH = 5;

/** Lines that items `widths` wide take when wrapped whole into `columns`, `gap` apart. */
export function wrappedLineCount(widths: readonly number[], columns: number | undefined, gap = 1): number {
  const width = columns !== undefined && columns > 0 ? columns : DEFAULT_COLUMNS;
  let lines = 1;
  let used = 0;
  for (const item of widths) {
    const needed = used === 0 ? item : used + gap + item;
    if (needed <= width || used === 0) {
      used = needed;
    } else {
      lines += 1;
      used = item;
    }
  }
  return lines;
}

/**
 * Rows of trends that fit a terminal `rows` high (at least MIN_TOP_N, at most `max` when given),
 * below a legend of `legendLines` lines.
 */
export function topN(rows: number | undefined, max?: number, legendLines = 1): number {
  const height = rows !== undefined && rows > 0 ? rows : DEFAULT_ROWS;
  const fit = Math.max(MIN_TOP_N, height - HEADER_LINES - (legendLines - 1) - FOOTER_LINES);
  return max === undefined ? fit : Math.min(fit, max);
}

/**
 * Height the screen always takes, whatever it shows: one line short of the terminal (the line Ink
 * needs to redraw in place), so nothing moves when the list grows or an alert arrives. Undefined
 * when the stream has no size (tests): then the screen is as tall as its content.
 */
export function screenHeight(rows: number | undefined): number | undefined {
  return rows !== undefined && rows > 1 ? rows - 1 : undefined;
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
  // rank, move badge and the HOT tag (4) always have their room.
  const fixed = RANK_WIDTH + MOVE_WIDTH + 4;
  const score = 9;
  const change = 10;
  const category = width >= 60 ? 9 : 0;
  const rest = width - fixed - score - change - category;
  if (rest < 30) return { name: Math.max(10, Math.min(26, rest)), category, score, change, sparkline: 0 };
  const name = Math.min(26, rest - 14);
  // The sparkline box is its width plus 2 columns of padding.
  const sparkline = Math.min(24, rest - name - 2);
  return { name, category, score, change, sparkline };
}
