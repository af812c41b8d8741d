/**
 * The terminal client's whole state and the reducer that changes it. Everything the screen
 * shows is derived from this, and every change comes as an action, so the logic is tested
 * without a terminal or a socket.
 */
import { TREND_CATEGORIES, type TrendCategory, type TrendsPayload } from '../protocol/payloads.ts';
import type { StatusEvent } from '../client/types.ts';
import { CATEGORY_LABELS } from './category-keys.ts';
import { categoryListText } from './format.ts';
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
}

export type WatchAction =
  | { type: 'status'; status: StatusEvent; at: number }
  | { type: 'client_count'; count: number }
  | { type: 'watch'; category: TrendCategory }
  | { type: 'watch_all' }
  | { type: 'unwatch'; category: TrendCategory }
  | { type: 'trends'; category: TrendCategory; payload: TrendsPayload; at: number }
  | { type: 'alert'; alert: HotAlert }
  | { type: 'subscribe_failed'; category: TrendCategory; message: string };

export function initialWatchState(watched: readonly TrendCategory[] = [], now = Date.now()): WatchState {
  return {
    status: { state: 'connecting', previous: 'disconnected' },
    statusAt: now,
    clientCount: undefined,
    watched: [...new Set(watched)],
    topics: {},
    tick: 0,
    updatedAt: {},
    alert: undefined,
    notice: undefined,
  };
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
    case 'status':
      return { ...state, status: action.status, statusAt: action.at };
    case 'client_count':
      return { ...state, clientCount: action.count };
    case 'watch':
      if (state.watched.includes(action.category)) return state;
      return {
        ...state,
        watched: [...state.watched, action.category],
        notice: {
          level: 'info',
          text: `Subscribed to ${CATEGORY_LABELS[action.category]}! Watching trends…`,
        },
      };
    case 'watch_all': {
      const added = TREND_CATEGORIES.filter((category) => !state.watched.includes(category));
      if (added.length === 0) return state;
      return {
        ...state,
        watched: [...state.watched, ...added],
        notice: { level: 'info', text: `Subscribed to ${categoryListText(added)}` },
      };
    }
    case 'unwatch':
      if (!state.watched.includes(action.category)) return state;
      return {
        ...state,
        watched: state.watched.filter((category) => category !== action.category),
        topics: withoutKey(state.topics, action.category),
        updatedAt: withoutKey(state.updatedAt, action.category),
        notice: { level: 'info', text: `Unsubscribed from ${CATEGORY_LABELS[action.category]}` },
      };
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
        topics: withoutKey(state.topics, action.category),
        updatedAt: withoutKey(state.updatedAt, action.category),
        notice: {
          level: 'error',
          text: `Could not subscribe to ${CATEGORY_LABELS[action.category]}: ${action.message}`,
        },
      };
  }
}
