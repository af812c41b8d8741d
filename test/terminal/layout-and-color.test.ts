import { describe, expect, it } from 'vitest';
import { animationProgress, tween } from '../../src/terminal/animation.ts';
import { changeColor, makeTheme, shouldUseColor } from '../../src/terminal/color-mode.ts';
import { legendEntryWidths } from '../../src/terminal/category-keys.ts';
import { ASCII_GLYPHS } from '../../src/terminal/glyphs.ts';
import {
  columnLayout,
  FOOTER_LINES,
  HEADER_LINES,
  MIN_TOP_N,
  MOVE_WIDTH,
  RANK_WIDTH,
  screenHeight,
  topN,
  wrappedLineCount,
} from '../../src/terminal/layout.ts';

describe('layout', () => {
  it('fits the list below the header and keeps the screen shorter than the terminal', () => {
    expect(topN(30)).toBe(30 - HEADER_LINES - FOOTER_LINES);
    expect(HEADER_LINES + topN(30) + FOOTER_LINES).toBeLessThanOrEqual(30);
    expect(topN(5)).toBe(MIN_TOP_N);
    expect(topN(100, 10)).toBe(10);
    expect(topN(undefined)).toBeGreaterThan(MIN_TOP_N);
  });

  it('takes the terminal height less the line Ink redraws from, whatever the list holds', () => {
    expect(screenHeight(30)).toBe(29);
    expect(screenHeight(24)).toBe(23);
    expect(HEADER_LINES + topN(24) + 1).toBeLessThanOrEqual(screenHeight(24) ?? 0);
    expect(screenHeight(undefined)).toBeUndefined();
  });

  it('drops the sparkline and the category column on narrow terminals, never overflowing', () => {
    for (const columns of [50, 60, 70, 80, 100, 160]) {
      const layout = columnLayout(columns);
      const used =
        RANK_WIDTH +
        MOVE_WIDTH +
        layout.name +
        layout.category +
        layout.score +
        layout.change +
        (layout.sparkline ? layout.sparkline + 2 : 0) +
        4;
      expect(used, `columns=${columns}`).toBeLessThanOrEqual(columns);
    }
    expect(columnLayout(50).sparkline).toBe(0);
    expect(columnLayout(80).sparkline).toBeGreaterThanOrEqual(12);
    expect(columnLayout(100).sparkline).toBe(24);
    // `↑16`: arrow and two digits, a space either side, so a big move never touches the name.
    expect(MOVE_WIDTH).toBeGreaterThanOrEqual(1 + 3 + 1);
  });
});

describe('colour', () => {
  const tty = { colorFlag: true, env: {}, isTTY: true };

  it('is on for a terminal and off for --no-color, NO_COLOR or a pipe', () => {
    expect(shouldUseColor(tty)).toBe(true);
    expect(shouldUseColor({ ...tty, colorFlag: false })).toBe(false);
    expect(shouldUseColor({ ...tty, env: { NO_COLOR: '1' } })).toBe(false);
    expect(shouldUseColor({ ...tty, env: { NO_COLOR: '' } })).toBe(true);
    expect(shouldUseColor({ ...tty, isTTY: false })).toBe(false);
  });

  it('colours rising green, falling red, hot magenta, or nothing without colour', () => {
    const theme = makeTheme(true);
    expect(changeColor(theme, 5, false)).toBe('green');
    expect(changeColor(theme, -5, false)).toBe('red');
    expect(changeColor(theme, -5, true)).toBe('magenta');
    expect(changeColor(makeTheme(false), 5, true)).toBeUndefined();
  });

  it('carries the character set, Unicode unless told otherwise', () => {
    expect(makeTheme(true).glyphs.ascii).toBe(false);
    expect(makeTheme(false, ASCII_GLYPHS).glyphs.up).toBe('^');
  });
});

describe('animation', () => {
  it('counts a score from its previous value to the new one', () => {
    expect(animationProgress(1000, 1000, 700)).toBe(0);
    expect(animationProgress(1000, 2000, 700)).toBe(1);
    expect(animationProgress(0, 5, 700)).toBe(1);
    expect(tween(100, 200, 0)).toBe(100);
    const middle = tween(100, 200, 0.5);
    expect(middle).toBeGreaterThan(150);
    expect(middle).toBeLessThan(200);
    expect(tween(100, 200, 1)).toBe(200);
  });
});

describe('legend wrapping', () => {
  it('counts the lines whole entries take and leaves them out of the list height', () => {
    expect(wrappedLineCount([5, 5, 5], 17)).toBe(1);
    expect(wrappedLineCount([5, 5, 5], 16)).toBe(2);
    expect(wrappedLineCount([20, 5], 10)).toBe(2);
    expect(wrappedLineCount(legendEntryWidths(), 100)).toBe(1);
    expect(wrappedLineCount(legendEntryWidths(), 60)).toBe(2);
    expect(topN(30, undefined, 2)).toBe(topN(30) - 1);
  });
});
