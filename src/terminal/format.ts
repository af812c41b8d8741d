/**
 * Text formatting of the trend view: scores with thousands separators, signed changes with arrows,
 * the "Now watching" sentence and the connection status. Pure, so tests pin the exact strings.
 */
import { TREND_CATEGORIES, type TrendCategory } from '../protocol/payloads.ts';
import type { StatusEvent } from '../client/types.ts';
import { CATEGORY_LABELS } from './category-keys.ts';

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `2453.4` → `2,453`. Always en-US grouping, so scripts and tests see one format. */
export function formatScore(score: number): string {
  return integerFormat.format(Math.round(score));
}

export type Direction = 'up' | 'down' | 'flat';

export function directionOf(change: number): Direction {
  const rounded = Math.round(change);
  if (rounded > 0) return 'up';
  if (rounded < 0) return 'down';
  return 'flat';
}

const ARROWS: Readonly<Record<Direction, string>> = { up: '▲', down: '▼', flat: '•' };

export function arrowOf(change: number): string {
  return ARROWS[directionOf(change)];
}

/** `59` → `+59`, `-1234` → `-1,234`, `0` → `0`. */
export function formatChange(change: number): string {
  const rounded = Math.round(change);
  if (rounded > 0) return `+${formatScore(rounded)}`;
  if (rounded < 0) return `-${formatScore(-rounded)}`;
  return '0';
}

/** How many places a topic moved: `↑2`, `↓1`, or empty when it kept its place. */
export function formatRankMove(previousRank: number | undefined, rank: number): string {
  if (previousRank === undefined || previousRank === rank) return '';
  return previousRank > rank ? `↑${previousRank - rank}` : `↓${rank - previousRank}`;
}

export function categoryNames(categories: readonly TrendCategory[]): string {
  return categories.map((category) => CATEGORY_LABELS[category]).join(', ');
}

function isEveryCategory(categories: readonly TrendCategory[]): boolean {
  return TREND_CATEGORIES.every((category) => categories.includes(category));
}

/** `Music, Tech`, or `all categories` when every one is in the list. */
export function categoryListText(categories: readonly TrendCategory[]): string {
  return isEveryCategory(categories) ? 'all categories' : categoryNames(categories);
}

/** `Now watching Music, Tech`, or a hint when nothing is watched. */
export function watchingText(categories: readonly TrendCategory[]): string {
  if (categories.length === 0) return 'Not watching anything yet: press a category key, or A for all';
  return `Now watching ${categoryListText(categories)}`;
}

/** The connection part of the status line, e.g. `reconnecting in 3s (attempt 2)`. */
export function statusText(
  status: Pick<StatusEvent, 'state' | 'attempt' | 'reason'>,
  secondsLeft?: number,
): string {
  switch (status.state) {
    case 'connecting':
      return 'connecting…';
    case 'connected':
      return 'connected';
    case 'reconnecting': {
      const wait = secondsLeft === undefined ? '' : ` in ${secondsLeft}s`;
      const attempt = status.attempt === undefined ? '' : ` (attempt ${status.attempt})`;
      return `reconnecting${wait}${attempt}`;
    }
    case 'disconnected':
      // A terminal close (bad token, banned...) says why, since no reconnect will follow.
      return status.reason !== undefined && status.reason !== ''
        ? `disconnected: ${status.reason}`
        : 'disconnected';
  }
}

/** `HH:MM:SS` of an ISO timestamp in local time; the input unchanged when it does not parse. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toTimeString().slice(0, 8);
}
