import { describe, expect, it } from 'vitest';
import { ASCII_GLYPHS } from '../../src/terminal/glyphs.ts';
import { sparkline } from '../../src/terminal/sparkline.ts';

describe('sparkline', () => {
  it('scales between the min and max of the shown values', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([100, 0, 100], 3)).toBe('█▁█');
  });

  it('keeps only the last `width` values', () => {
    expect(sparkline([1000, 1, 2], 2)).toBe('▁█');
    expect(sparkline([5, 6, 7], 0)).toBe('');
  });

  it('draws a flat series as a middle line and skips non-finite values', () => {
    expect(sparkline([3, 3, 3], 10)).toBe('▄▄▄');
    expect(sparkline([1, Number.NaN, 2], 10)).toBe('▁█');
    expect(sparkline([], 10)).toBe('');
  });

  it('draws with ASCII levels outside UTF-8 locales', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8, ASCII_GLYPHS.blocks)).toBe('_.-:=+*#');
    expect(sparkline([3, 3], 8, ASCII_GLYPHS.blocks)).toBe('::');
  });
});
