import { describe, expect, it } from 'vitest';
import { TREND_CATEGORIES } from '../../src/protocol/payloads.ts';
import {
  ALL_KEY,
  CATEGORY_KEYS,
  QUIT_KEY,
  commandForKey,
  legendText,
  parseCategoryList,
} from '../../src/terminal/category-keys.ts';

describe('category keys', () => {
  it('gives every category its own key, distinct from All and Quit', () => {
    const keys = TREND_CATEGORIES.map((category) => CATEGORY_KEYS[category]);
    expect(new Set([...keys, ALL_KEY, QUIT_KEY]).size).toBe(TREND_CATEGORIES.length + 2);
    for (const key of keys) expect(key).toMatch(/^[a-z]$/);
  });

  it('maps keys to commands, case-insensitively', () => {
    expect(commandForKey('m')).toEqual({ kind: 'toggle', category: 'music' });
    expect(commandForKey('T')).toEqual({ kind: 'toggle', category: 'tech' });
    expect(commandForKey('e')).toEqual({ kind: 'toggle', category: 'memes' });
    expect(commandForKey('v')).toEqual({ kind: 'toggle', category: 'movies' });
    expect(commandForKey('A')).toEqual({ kind: 'all' });
    expect(commandForKey('q')).toEqual({ kind: 'quit' });
    expect(commandForKey('x')).toBeUndefined();
    expect(commandForKey('')).toBeUndefined();
  });

  it('spells the legend with the key letter in brackets inside each label', () => {
    expect(legendText()).toBe(
      '[M]usic [G]ames [F]ashion [C]elebs [T]ech M[E]mes [S]ports Mo[V]ies [A]ll [Q]uit',
    );
  });

  it('parses --categories lists of names, keys and "all", rejecting unknown names', () => {
    expect(parseCategoryList('music,tech')).toEqual(['music', 'tech']);
    expect(parseCategoryList(' Tech , MUSIC,tech ')).toEqual(['tech', 'music']);
    expect(parseCategoryList('m,v')).toEqual(['music', 'movies']);
    expect(parseCategoryList('all')).toEqual([...TREND_CATEGORIES]);
    expect(() => parseCategoryList('music,cooking')).toThrow(/unknown category "cooking"/);
  });
});
