/**
 * Text formatting of the trend view: scores with thousands separators, signed changes with arrows,
 * the "Now watching" sentence and the connection status. Pure, so tests pin the exact strings.
 */
import { TREND_CATEGORIES, type TrendCategory } from '../protocol/payloads.ts';
import type { ClientState, StatusEvent } from '../client/types.ts';
import { CloseCode } from '../protocol/codes.ts';
import { CATEGORY_LABELS } from './category-keys.ts';
import { UNICODE_GLYPHS, type Glyphs } from './glyphs.ts';

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

/** `▲` / `▼` / `•` (ASCII `^` / `v` / `=`). */
export function arrowOf(change: number, glyphs: Glyphs = UNICODE_GLYPHS): string {
  return glyphs[directionOf(change)];
}

/** `59` → `+59`, `-1234` → `-1,234`, `0` → `0`. */
export function formatChange(change: number): string {
  const rounded = Math.round(change);
  if (rounded > 0) return `+${formatScore(rounded)}`;
  if (rounded < 0) return `-${formatScore(-rounded)}`;
  return '0';
}

/** How many places a topic moved: `↑2`, `↓1` (ASCII `^2`, `v1`), or empty when it kept its place. */
export function formatRankMove(
  previousRank: number | undefined,
  rank: number,
  glyphs: Glyphs = UNICODE_GLYPHS,
): string {
  if (previousRank === undefined || previousRank === rank) return '';
  return previousRank > rank
    ? `${glyphs.rankUp}${previousRank - rank}`
    : `${glyphs.rankDown}${rank - previousRank}`;
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

/** Why a connection ended, as the SDK reported it: a close code and reason, or a reason alone. */
export interface CloseCause {
  code?: number;
  reason?: string;
  /** False when no connection was made at all (the hub could not be reached). */
  wasConnected: boolean;
}

/** What the codes a user meets most mean, in the status line's words. */
const CLOSE_CODE_TEXT: Readonly<Partial<Record<number, string>>> = {
  [CloseCode.Normal]: 'closed',
  [CloseCode.GoingAway]: 'hub going away',
  [CloseCode.ServiceRestart]: 'hub restarting',
  [CloseCode.TryAgainLater]: 'hub busy, try again later',
  [CloseCode.InternalError]: 'hub error',
  [CloseCode.SlowConsumer]: 'too slow, dropped by the hub',
  [CloseCode.RateLimitExceeded]: 'rate limited by the hub',
  [CloseCode.ConnectionExpired]: 'session expired',
  [CloseCode.Unauthorized]: 'unauthorized',
  [CloseCode.TokenExpired]: 'token expired',
};
/** No close frame: the socket failed or never opened. */
const ABNORMAL_CLOSE = 1006;

/** `hub restarting (1012)`, `connection lost (1006)`, `ping timeout`; empty when nothing is known. */
export function closeCauseText(cause: CloseCause | undefined): string {
  if (cause === undefined) return '';
  const { code, wasConnected } = cause;
  const reason = cause.reason?.trim() ?? '';
  if (code === undefined) return reason;
  if (code === ABNORMAL_CLOSE) return `${wasConnected ? 'connection lost' : 'hub unreachable'} (${code})`;
  const words = CLOSE_CODE_TEXT[code];
  if (words === undefined) return `${reason === '' ? 'closed' : reason} (${code})`;
  // The hub's own codes (4000 on) come with a reason worth reading: `rate limited by the hub: … (4001)`.
  return code >= 4000 && reason !== '' ? `${words}: ${reason} (${code})` : `${words} (${code})`;
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

/** `HH:MM:SS` in local time of a time in ms since the epoch. */
export function clockTimeOf(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

/**
 * The line over data that is no longer live: `stale since 12:03:04 · showing tick 41 until
 * reconnected`, or `… · not reconnecting` after a close the client will not retry.
 */
export function staleText(
  staleSince: number,
  tick: number,
  state: ClientState,
  glyphs: Glyphs = UNICODE_GLYPHS,
): string {
  const what = tick > 0 ? `showing tick ${tick}` : 'showing the last data';
  const until = state === 'disconnected' ? ` ${glyphs.separator} not reconnecting` : ' until reconnected';
  return `stale since ${clockTimeOf(staleSince)} ${glyphs.separator} ${what}${until}`;
}
