/**
 * Which key toggles which trend category, and the legend that shows them.
 * One table, checked by a test to give every category in TREND_CATEGORIES its own key
 * that collides neither with another category nor with the `A`ll / `Q`uit commands.
 */
import { TREND_CATEGORIES, type TrendCategory } from '../protocol/payloads.ts';

/** Lower-case key per category: the first letter where free, else a memorable other letter. */
export const CATEGORY_KEYS: Readonly<Record<TrendCategory, string>> = {
  music: 'm',
  games: 'g',
  fashion: 'f',
  celebs: 'c',
  tech: 't',
  memes: 'e',
  sports: 's',
  movies: 'v',
};

export const ALL_KEY = 'a';
export const QUIT_KEY = 'q';

/** Display names, as the legend and the "Now watching" line spell them. */
export const CATEGORY_LABELS: Readonly<Record<TrendCategory, string>> = {
  music: 'Music',
  games: 'Games',
  fashion: 'Fashion',
  celebs: 'Celebs',
  tech: 'Tech',
  memes: 'Memes',
  sports: 'Sports',
  movies: 'Movies',
};

export type KeyCommand = { kind: 'toggle'; category: TrendCategory } | { kind: 'all' } | { kind: 'quit' };

/** What a key press means, case-insensitively; undefined for keys we ignore. */
export function commandForKey(input: string): KeyCommand | undefined {
  const key = input.toLowerCase();
  if (key === ALL_KEY) return { kind: 'all' };
  if (key === QUIT_KEY) return { kind: 'quit' };
  const category = TREND_CATEGORIES.find((candidate) => CATEGORY_KEYS[candidate] === key);
  return category === undefined ? undefined : { kind: 'toggle', category };
}

/** A legend entry split around its key letter: `mo` `V` `ies` renders as `mo[V]ies`. */
export interface LegendEntry {
  before: string;
  key: string;
  after: string;
  category?: TrendCategory;
}

export function legendEntry(label: string, key: string, category?: TrendCategory): LegendEntry {
  const at = label.toLowerCase().indexOf(key.toLowerCase());
  if (at < 0) return { before: `${label} `, key: key.toUpperCase(), after: '', category };
  return {
    before: label.slice(0, at),
    key: label.charAt(at).toUpperCase(),
    after: label.slice(at + 1),
    category,
  };
}

/** Every legend entry in display order: the categories, then All and Quit. */
export function legendEntries(): LegendEntry[] {
  return [
    ...TREND_CATEGORIES.map((category) =>
      legendEntry(CATEGORY_LABELS[category], CATEGORY_KEYS[category], category),
    ),
    legendEntry('All', ALL_KEY),
    legendEntry('Quit', QUIT_KEY),
  ];
}

/** Display width of each legend entry, with room for the `*` that marks a watched category. */
export function legendEntryWidths(): number[] {
  return legendEntries().map((entry) => entry.before.length + entry.key.length + entry.after.length + 2 + 1);
}

/** The legend as plain text, e.g. `[M]usic [G]ames ... [A]ll [Q]uit`. */
export function legendText(): string {
  return legendEntries()
    .map((entry) => `${entry.before}[${entry.key}]${entry.after}`)
    .join(' ');
}

/** Parse `--categories music,tech` (case-insensitive, labels or keys accepted); throws on unknown names. */
export function parseCategoryList(text: string): TrendCategory[] {
  const result: TrendCategory[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (name === 'all') return [...TREND_CATEGORIES];
    const category = TREND_CATEGORIES.find(
      (candidate) => candidate === name || (name.length === 1 && CATEGORY_KEYS[candidate] === name),
    );
    if (category === undefined) {
      throw new Error(`unknown category "${raw.trim()}" (known: ${TREND_CATEGORIES.join(', ')})`);
    }
    if (!result.includes(category)) result.push(category);
  }
  return result;
}
