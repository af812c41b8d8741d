/**
 * The data on each built-in channel: the contract between the feeds and apps that publish it and the
 * SDK, web app and terminal client that read it. Runtime checks: payload-guards.ts; which channel
 * carries which payload: channels.ts. Field names in snake_case where the dashboard requirements name
 * them (`network_sent`, ...).
 */

export const TREND_CATEGORIES = [
  'music',
  'games',
  'fashion',
  'celebs',
  'tech',
  'memes',
  'sports',
  'movies',
] as const;
export type TrendCategory = (typeof TREND_CATEGORIES)[number];

export interface TrendTopic {
  /** Stable id for the topic's lifetime (a replaced topic gets a new id). */
  id: string;
  /** Hashtag, e.g. `#NewJeansComeback`. */
  name: string;
  category: TrendCategory;
  score: number;
  /** Score change since the previous tick. */
  change: number;
  /** Recent scores, oldest first (bounded), for sparklines. */
  history: number[];
  hot: boolean;
}

/** Published on `trends` (all topics) and `trends:<category>` (that category's topics). */
export interface TrendsPayload {
  tick: number;
  timestamp: string;
  topics: TrendTopic[];
}

/** Published on `metrics` every second. */
export interface MetricsPayload {
  timestamp: string;
  /** CPU use in percent, 0–100. */
  cpu: number;
  /** Memory use in percent, 0–100. */
  memory: number;
  memory_used_bytes: number;
  memory_total_bytes: number;
  /** Totals since boot, in bytes, summed over `interfaces`. */
  network_sent: number;
  network_recv: number;
  /** Bytes per second over the last interval, summed over `interfaces`. */
  network_sent_rate: number;
  network_recv_rate: number;
  /**
   * The network interfaces the four network figures sum (by default the host's external ones:
   * loopback, whose every byte is both sent and received, is left out). Absent from older hubs,
   * whose figures include loopback.
   */
  interfaces?: string[];
  load_average: [number, number, number];
  /** Disk use of the root filesystem, percent. */
  disk: number;
  uptime_seconds: number;
  /** Second chart series: messages per second the hub itself delivered. */
  data: number;
  /** Connections on this hub. */
  connections: number;
  /** CPU temperature in °C, when the host exposes a sensor (absent in most VMs and containers). */
  temperature?: number;
}

export interface StockQuote {
  symbol: string;
  name: string;
  price: number;
  open: number;
  high: number;
  low: number;
  /** Change since open, absolute and percent. */
  change: number;
  change_percent: number;
  volume: number;
}

/** Published on `stocks`. */
export interface StocksPayload {
  timestamp: string;
  quotes: StockQuote[];
}

export type Level = 'info' | 'success' | 'warn' | 'error';

/** Published on `notifications` (and `notifications#<user>` for personal ones). */
export interface NotificationPayload {
  id: string;
  level: Level;
  title: string;
  message: string;
  timestamp: string;
}

/** Published on `events`: the activity feed. */
export interface ActivityPayload {
  id: string;
  level: Level;
  /** e.g. `connect`, `disconnect`, `subscribe`, `hot_trend`, `cpu_alert`. */
  kind: string;
  message: string;
  timestamp: string;
  data?: unknown;
}

/** `data` of a `hot_trend` activity entry. */
export interface HotTrendData {
  id: string;
  name: string;
  category: TrendCategory;
  score: number;
  previous_score: number;
  /** Rise within one tick, percent (50 is +50%). */
  rise_percent: number;
}

/** `data` of a `cpu_alert` (and `cpu_recovered`) activity entry. */
export interface CpuAlertData {
  cpu: number;
  threshold: number;
}

/** A chat message as clients publish it; subscribers get it with the server-stamped `from`. */
export interface ChatMessage {
  text: string;
}

/** The `ephemeral` frames of a chat room: the typing indicator. */
export interface ChatTyping {
  typing: boolean;
}

/** What clients publish to a counter. */
export interface CounterOp {
  op: 'increment' | 'decrement';
}

/** A counter's publications and snapshot: the value after the operation. */
export interface CounterValue {
  value: number;
}

/** One whiteboard stroke, in the board's logical coordinates. */
export interface BoardStroke {
  op: 'stroke';
  points: Array<[number, number]>;
  /** `#rrggbb`. */
  color: string;
  size: number;
}

export interface BoardClear {
  op: 'clear';
}

/** What clients publish to a board and what its subscribers receive. Its snapshot is `BoardStroke[]`. */
export type BoardOp = BoardStroke | BoardClear;
