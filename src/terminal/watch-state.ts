/**
 * The terminal client's whole state and the reducer that changes it. Everything the screen
 * shows is derived from this, and every change comes as an action, so the logic is tested
 * without a terminal or a socket.
 */
import { TREND_CATEGORIES, type TrendCategory, type TrendsPayload } from '../protocol/payloads.ts';
import type { StatusEvent } from '../client/types.ts';
import { CATEGORY_LABELS } from './category-keys.ts';
import { categoryListText, type CloseCause } from './format.ts';
import type { HotAlert } from './hot-alert.ts';
import type { TopicsByCategory } from './trend-rows.ts';

export interface Notice {
  text: string;
  level: 'info' | 'error';
}

export interface WatchState {
  status: StatusEvent;
  /** When the status last changed (ms since epoch), for the reconnect countdown. */
  statusAt: number;
  clientCount: number | undefined;
  /** Watched categories in the order the user picked them. */
  watched: TrendCategory[];
  /** Latest topics per watched category. */
  topics: TopicsByCategory;
  /** Tick of the last trends update. */
  tick: number;
  /** When each category's trends last changed (ms since epoch): starts its rows' move animation. */
  updatedAt: Partial<Record<TrendCategory, number>>;
  alert: HotAlert | undefined;
  notice: Notice | undefined;
  /**
   * Watched categories the hub has not confirmed yet: queued while offline (the SDK subscribes
   * them when it connects) or in flight. The "Subscribed to …!" notice waits for the confirmation.
   */
  pending: TrendCategory[];
  /** Pending categories confirmed so far, announced together once none is pending any more. */
  confirmed: TrendCategory[];
  /** When the data on screen stopped being live (the connection dropped); undefined while live. */
  staleSince: number | undefined;
  /**
   * Why the connection dropped, as the first status after the drop said (e.g. 1012, the hub is
   * restarting): failed retries report only 1006 and do not replace it. Cleared once connected.
   */
  dropCause: CloseCause | undefined;
}

export type WatchAction =
  | { type: 'status'; status: StatusEvent; at: number }
  | { type: 'client_count'; count: number }
  | { type: 'watch'; category: TrendCategory }
  | { type: 'watch_all' }
  | { type: 'unwatch'; category: TrendCategory }
  | { type: 'trends'; category: TrendCategory; payload: TrendsPayload; at: number }
  | { type: 'alert'; alert: HotAlert }
  /** The hub confirmed the subscription of a category (first time or after a reconnect). */
  | { type: 'subscribed'; category: TrendCategory }
  | { type: 'subscribe_failed'; category: TrendCategory; message: string };

export function initialWatchState(watched: readonly TrendCategory[] = [], now = Date.now()): WatchState {
  const unique = [...new Set(watched)];
  return {
    status: { state: 'connecting', previous: 'disconnected' },
    statusAt: now,
    clientCount: undefined,
    watched: unique,
    topics: {},
    tick: 0,
    updatedAt: {},
    alert: undefined,
    notice: undefined,
    pending: [...unique],
    confirmed: [],
    staleSince: undefined,
    dropCause: undefined,
  };
}

/** No close frame (the socket failed): says less than any close code the hub sent. */
const ABNORMAL_CLOSE = 1006;

function causeOf(status: StatusEvent, wasConnected: boolean): CloseCause | undefined {
  const reason = status.reason ?? '';
  if (status.code === undefined && reason === '') return undefined;
  const cause: CloseCause = { wasConnected };
  if (status.code !== undefined) cause.code = status.code;
  if (reason !== '') cause.reason = reason;
  return cause;
}

/** The drop cause after `status`: the first one stays unless a later status brings a real close code. */
function nextDropCause(state: WatchState, status: StatusEvent): CloseCause | undefined {
  if (status.state === 'connected') return undefined;
  const wasConnected = state.status.state === 'connected' || (state.dropCause?.wasConnected ?? false);
  const cause = causeOf(status, wasConnected);
  if (cause === undefined) return state.dropCause;
  if (state.status.state === 'connected' || state.dropCause === undefined) return cause;
  const closedByHub = cause.code !== undefined && cause.code !== ABNORMAL_CLOSE;
  return closedByHub || status.state === 'disconnected' ? cause : state.dropCause;
}

/** `Tech: queued, subscribes when connected` / `Tech, Music: queued, subscribe when connected`. */
function queuedText(categories: readonly TrendCategory[]): string {
  const verb = categories.length === 1 ? 'subscribes' : 'subscribe';
  return `${categoryListText(categories)}: queued, ${verb} when connected`;
}

function subscribedText(categories: readonly TrendCategory[]): string {
  if (categories.length === 1) return `Subscribed to ${CATEGORY_LABELS[categories[0]]}! Watching trends…`;
  return `Subscribed to ${categoryListText(categories)}`;
}

/** What a key press that adds `added` says: queued while offline, else on its way. */
function requestedNotice(
  state: WatchState,
  added: readonly TrendCategory[],
  pending: TrendCategory[],
): Notice {
  if (state.status.state !== 'connected') return { level: 'info', text: queuedText(pending) };
  return { level: 'info', text: `Subscribing to ${categoryListText(added)}…` };
}

function withoutKey<T>(
  record: Partial<Record<TrendCategory, T>>,
  category: TrendCategory,
): Partial<Record<TrendCategory, T>> {
  const next = { ...record };
  delete next[category];
  return next;
}

export function watchReducer(state: WatchState, action: WatchAction): WatchState {
  switch (action.type) {
    case 'status': {
      const live = action.status.state === 'connected';
      const wasLive = state.status.state === 'connected';
      // Subscriptions still on their way when the connection drops now wait for the next one.
      const requeued = wasLive && !live && state.pending.length > 0;
      return {
        ...state,
        status: action.status,
        statusAt: action.at,
        staleSince: live ? undefined : wasLive ? action.at : state.staleSince,
        dropCause: nextDropCause(state, action.status),
        notice: requeued ? { level: 'info', text: queuedText(state.pending) } : state.notice,
      };
    }
    case 'client_count':
      return { ...state, clientCount: action.count };
    case 'watch': {
      if (state.watched.includes(action.category)) return state;
      const pending = [...state.pending, action.category];
      return {
        ...state,
        watched: [...state.watched, action.category],
        pending,
        notice: requestedNotice(state, [action.category], pending),
      };
    }
    case 'watch_all': {
      const added = TREND_CATEGORIES.filter((category) => !state.watched.includes(category));
      if (added.length === 0) return state;
      const pending = [...state.pending, ...added];
      return {
        ...state,
        watched: [...state.watched, ...added],
        pending,
        notice: requestedNotice(state, added, pending),
      };
    }
    case 'unwatch': {
      if (!state.watched.includes(action.category)) return state;
      const label = CATEGORY_LABELS[action.category];
      const queued = state.pending.includes(action.category) && state.status.state !== 'connected';
      return {
        ...state,
        watched: state.watched.filter((category) => category !== action.category),
        pending: state.pending.filter((category) => category !== action.category),
        confirmed: state.confirmed.filter((category) => category !== action.category),
        topics: withoutKey(state.topics, action.category),
        updatedAt: withoutKey(state.updatedAt, action.category),
        notice: { level: 'info', text: queued ? `${label}: no longer queued` : `Unsubscribed from ${label}` },
      };
    }
    case 'subscribed': {
      // A resubscription after a reconnect has nothing to announce: the status line says it.
      if (!state.pending.includes(action.category)) return state;
      const pending = state.pending.filter((category) => category !== action.category);
      const confirmed = [...state.confirmed, action.category];
      if (pending.length > 0) return { ...state, pending, confirmed };
      const announced = state.watched.filter((category) => confirmed.includes(category));
      return { ...state, pending, confirmed: [], notice: { level: 'info', text: subscribedText(announced) } };
    }
    case 'trends':
      if (!state.watched.includes(action.category)) return state;
      return {
        ...state,
        topics: {
          ...state.topics,
          [action.category]: action.payload.topics.filter((topic) => topic.category === action.category),
        },
        // The latest tick, not the highest: a restarted hub counts from 0 again.
        tick: action.payload.tick,
        updatedAt: { ...state.updatedAt, [action.category]: action.at },
      };
    case 'alert':
      if (action.alert.category !== undefined && !state.watched.includes(action.alert.category)) return state;
      return { ...state, alert: action.alert };
    case 'subscribe_failed':
      return {
        ...state,
        watched: state.watched.filter((category) => category !== action.category),
        pending: state.pending.filter((category) => category !== action.category),
        confirmed: state.confirmed.filter((category) => category !== action.category),
        topics: withoutKey(state.topics, action.category),
        updatedAt: withoutKey(state.updatedAt, action.category),
        notice: {
          level: 'error',
          text: `Could not subscribe to ${CATEGORY_LABELS[action.category]}: ${action.message}`,
        },
      };
  }
}
