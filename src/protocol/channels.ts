/**
 * The catalogue of built-in channels: each name, what flows on it (payloads.ts) and the check for it
 * (payload-guards.ts). "What is on channel X?" is answered here, for the feeds and apps that publish,
 * the hub that guards, and the SDK, web app and terminal that read. The channel options (history,
 * who may publish, presence) are the server's: src/server/namespaces.ts.
 */
import {
  isActivityPayload,
  isBoardOp,
  isBoardSnapshot,
  isChatMessage,
  isChatTyping,
  isCounterValue,
  isMetricsPayload,
  isNotificationPayload,
  isStocksPayload,
  isTrendsPayload,
} from './payload-guards.ts';
import type {
  ActivityPayload,
  BoardOp,
  BoardStroke,
  ChatMessage,
  ChatTyping,
  CounterOp,
  CounterValue,
  MetricsPayload,
  NotificationPayload,
  StocksPayload,
  TrendCategory,
  TrendsPayload,
} from './payloads.ts';

/** The built-in channels with a fixed name. */
export const Channel = {
  /** Every trending topic, each tick. Per category: `trendCategoryChannel(category)`. */
  Trends: 'trends',
  /** Host metrics, every second. */
  Metrics: 'metrics',
  /** Simulated stock quotes. */
  Stocks: 'stocks',
  /** The activity feed. */
  Events: 'events',
  /** Broadcast notifications; personal ones on `personalNotificationsChannel(user)`. */
  Notifications: 'notifications',
  /** The playground: any JSON, from anyone. */
  Echo: 'echo',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

export function trendCategoryChannel<C extends TrendCategory>(category: C): `trends:${C}` {
  return `${Channel.Trends}:${category}`;
}

/** Only the authenticated user `user` may subscribe. */
export function personalNotificationsChannel(user: string): `notifications#${string}` {
  return `${Channel.Notifications}#${user}`;
}

export function chatChannel(room: string): `chat:${string}` {
  return `chat:${room}`;
}

export function counterChannel(name: string): `counter:${string}` {
  return `counter:${name}`;
}

export function boardChannel(name: string): `board:${string}` {
  return `board:${name}`;
}

/** What subscribers of channel `C` receive as `publication.data`; `unknown` for channels not in the catalogue. */
export type PayloadOf<C extends string> = C extends 'trends' | `trends:${string}`
  ? TrendsPayload
  : C extends 'metrics'
    ? MetricsPayload
    : C extends 'stocks'
      ? StocksPayload
      : C extends 'events'
        ? ActivityPayload
        : C extends 'notifications' | `notifications#${string}`
          ? NotificationPayload
          : C extends `chat:${string}`
            ? ChatMessage
            : C extends `counter:${string}`
              ? CounterValue
              : C extends `board:${string}`
                ? BoardOp
                : unknown;

/**
 * What a client may publish to channel `C`: the apps' inputs, `never` on channels only the server
 * publishes to (the hub refuses with `forbidden`), anything on channels not in the catalogue.
 */
export type PublishInputOf<C extends string> = C extends `chat:${string}`
  ? ChatMessage
  : C extends `counter:${string}`
    ? CounterOp
    : C extends `board:${string}`
      ? BoardOp
      : C extends 'trends' | `trends:${string}` | 'metrics' | 'stocks' | 'events' | 'notifications'
        ? never
        : C extends `notifications#${string}`
          ? never
          : unknown;

/** The snapshot a subscribe hands over (latest value, counter, strokes); `undefined` when there is none yet. */
export type SnapshotOf<C extends string> = C extends 'trends' | `trends:${string}`
  ? TrendsPayload | undefined
  : C extends 'metrics'
    ? MetricsPayload | undefined
    : C extends 'stocks'
      ? StocksPayload | undefined
      : C extends `counter:${string}`
        ? CounterValue
        : C extends `board:${string}`
          ? BoardStroke[]
          : unknown;

/** What `ephemeral` frames on channel `C` carry (chat: the typing indicator). */
export type EphemeralOf<C extends string> = C extends `chat:${string}` ? ChatTyping : unknown;

/**
 * The runtime checks of one channel's data; a missing check means "anything goes". A snapshot is only
 * checked when there is one (a channel never published to has none).
 */
export interface ChannelGuards {
  publication?: (value: unknown) => boolean;
  snapshot?: (value: unknown) => boolean;
  ephemeral?: (value: unknown) => boolean;
}

/** Checks by namespace (the part of the name before `:` or `#`). */
const GUARDS_BY_NAMESPACE: Readonly<Record<string, ChannelGuards>> = {
  trends: { publication: isTrendsPayload, snapshot: isTrendsPayload },
  metrics: { publication: isMetricsPayload, snapshot: isMetricsPayload },
  stocks: { publication: isStocksPayload, snapshot: isStocksPayload },
  events: { publication: isActivityPayload },
  notifications: { publication: isNotificationPayload },
  chat: { publication: isChatMessage, ephemeral: isChatTyping },
  counter: { publication: isCounterValue, snapshot: isCounterValue },
  board: { publication: isBoardOp, snapshot: isBoardSnapshot },
};

/** The namespace of a channel name: `chat:lobby` → `chat`, `notifications#42` → `notifications`. */
export function namespaceOf(channel: string): string {
  const end = channel.search(/[:#]/);
  return end === -1 ? channel : channel.slice(0, end);
}

/** The checks for a built-in channel's data, or undefined for a channel the catalogue does not know. */
export function channelGuards(channel: string): ChannelGuards | undefined {
  const namespace = namespaceOf(channel);
  return Object.hasOwn(GUARDS_BY_NAMESPACE, namespace) ? GUARDS_BY_NAMESPACE[namespace] : undefined;
}
