/**
 * Runtime checks for what arrives on each channel. Data from the wire is `unknown` until one of these
 * says otherwise; a malformed publication is skipped instead of breaking a view.
 */
import type {
  ActivityPayload,
  MetricsPayload,
  NotificationPayload,
  StocksPayload,
  TrendsPayload,
} from '../../feeds/payloads.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isMetricsPayload(value: unknown): value is MetricsPayload {
  return (
    isRecord(value) &&
    typeof value.timestamp === 'string' &&
    isNumber(value.cpu) &&
    isNumber(value.memory) &&
    isNumber(value.network_sent_rate) &&
    isNumber(value.network_recv_rate)
  );
}

export function isTrendsPayload(value: unknown): value is TrendsPayload {
  return isRecord(value) && Array.isArray(value.topics) && value.topics.every(isTrendTopicLike);
}

function isTrendTopicLike(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.name === 'string' &&
    isNumber(value.score) &&
    Array.isArray(value.history)
  );
}

export function isStocksPayload(value: unknown): value is StocksPayload {
  return (
    isRecord(value) &&
    Array.isArray(value.quotes) &&
    value.quotes.every(
      (quote) => isRecord(quote) && typeof quote.symbol === 'string' && isNumber(quote.price),
    )
  );
}

const LEVELS = new Set(['info', 'success', 'warn', 'error']);

export function isNotificationPayload(value: unknown): value is NotificationPayload {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.message === 'string' &&
    typeof value.level === 'string' &&
    LEVELS.has(value.level)
  );
}

export function isActivityPayload(value: unknown): value is ActivityPayload {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.message === 'string' &&
    typeof value.level === 'string' &&
    LEVELS.has(value.level)
  );
}

/** A counter channel's snapshot is the number itself; its publications are `{value}`. */
export function counterValue(value: unknown): number | undefined {
  if (isNumber(value)) return value;
  if (isRecord(value) && isNumber(value.value)) return value.value;
  return undefined;
}

/** Chat publications carry `{text}` (the server stamps `from` on the publication). */
export function chatText(value: unknown): string | undefined {
  if (isRecord(value) && typeof value.text === 'string') return value.text;
  return undefined;
}
