/**
 * Runtime checks for every built-in payload (payloads.ts): data from the wire is `unknown` until one
 * of these says otherwise. One set, used by the SDK (it drops a malformed publication and reports it),
 * the hub (nobody publishes a malformed payload to a built-in channel), the web app and the terminal.
 * Hand-written rather than schema-generated: they ship in the browser SDK, which must stay small.
 */
import { hasFields, isArrayOf, isBoolean, isNumber, isString, optional } from './checks.ts';
import {
  TREND_CATEGORIES,
  type ActivityPayload,
  type BoardOp,
  type BoardStroke,
  type ChatMessage,
  type ChatTyping,
  type CounterValue,
  type HotTrendData,
  type Level,
  type MetricsPayload,
  type NotificationPayload,
  type StockQuote,
  type StocksPayload,
  type TrendCategory,
  type TrendTopic,
  type TrendsPayload,
} from './payloads.ts';

export function isTrendCategory(value: unknown): value is TrendCategory {
  return (TREND_CATEGORIES as readonly unknown[]).includes(value);
}

const LEVELS: readonly unknown[] = ['info', 'success', 'warn', 'error'] satisfies Level[];

function isLevel(value: unknown): value is Level {
  return LEVELS.includes(value);
}

export function isTrendTopic(value: unknown): value is TrendTopic {
  return hasFields(value, {
    id: isString,
    name: isString,
    category: isTrendCategory,
    score: isNumber,
    change: isNumber,
    history: (history) => isArrayOf(history, isNumber),
    hot: isBoolean,
  });
}

export function isTrendsPayload(value: unknown): value is TrendsPayload {
  return hasFields(value, {
    tick: isNumber,
    timestamp: isString,
    topics: (topics) => isArrayOf(topics, isTrendTopic),
  });
}

export function isMetricsPayload(value: unknown): value is MetricsPayload {
  return hasFields(value, {
    timestamp: isString,
    cpu: isNumber,
    memory: isNumber,
    memory_used_bytes: isNumber,
    memory_total_bytes: isNumber,
    network_sent: isNumber,
    network_recv: isNumber,
    network_sent_rate: isNumber,
    network_recv_rate: isNumber,
    interfaces: optional((names) => isArrayOf(names, isString)),
    load_average: (load) => isArrayOf(load, isNumber) && load.length === 3,
    disk: isNumber,
    uptime_seconds: isNumber,
    data: isNumber,
    connections: isNumber,
    temperature: optional(isNumber),
  });
}

export function isStockQuote(value: unknown): value is StockQuote {
  return hasFields(value, {
    symbol: isString,
    name: isString,
    price: isNumber,
    open: isNumber,
    high: isNumber,
    low: isNumber,
    change: isNumber,
    change_percent: isNumber,
    volume: isNumber,
  });
}

export function isStocksPayload(value: unknown): value is StocksPayload {
  return hasFields(value, { timestamp: isString, quotes: (quotes) => isArrayOf(quotes, isStockQuote) });
}

export function isNotificationPayload(value: unknown): value is NotificationPayload {
  return hasFields(value, {
    id: isString,
    level: isLevel,
    title: isString,
    message: isString,
    timestamp: isString,
  });
}

export function isActivityPayload(value: unknown): value is ActivityPayload {
  return hasFields(value, {
    id: isString,
    level: isLevel,
    kind: isString,
    message: isString,
    timestamp: isString,
  });
}

/** The `data` of a `hot_trend` activity entry. */
export function isHotTrendData(value: unknown): value is HotTrendData {
  return hasFields(value, {
    id: isString,
    name: isString,
    category: isTrendCategory,
    score: isNumber,
    previous_score: isNumber,
    rise_percent: isNumber,
  });
}

export function isChatMessage(value: unknown): value is ChatMessage {
  return hasFields(value, { text: isString });
}

export function isChatTyping(value: unknown): value is ChatTyping {
  return hasFields(value, { typing: isBoolean });
}

export function isCounterValue(value: unknown): value is CounterValue {
  return hasFields(value, { value: isNumber });
}

function isPoint(value: unknown): value is [number, number] {
  return isArrayOf(value, isNumber) && value.length === 2;
}

const COLOR_PATTERN = /^#[0-9a-f]{6}$/i;

export function isBoardStroke(value: unknown): value is BoardStroke {
  return hasFields(value, {
    op: (op) => op === 'stroke',
    points: (points) => isArrayOf(points, isPoint) && points.length > 0,
    color: (color) => isString(color) && COLOR_PATTERN.test(color),
    size: isNumber,
  });
}

export function isBoardOp(value: unknown): value is BoardOp {
  return isBoardStroke(value) || hasFields(value, { op: (op) => op === 'clear' });
}

/** A board's snapshot: the strokes since the last clear. */
export function isBoardSnapshot(value: unknown): value is BoardStroke[] {
  return isArrayOf(value, isBoardStroke);
}
