/**
 * Runtime checks for what arrives over the wire: publications carry `unknown` data, and the
 * terminal client must not crash on a payload from an older or newer feed. Invalid topics are dropped.
 */
import {
  TREND_CATEGORIES,
  type ActivityPayload,
  type TrendCategory,
  type TrendTopic,
  type TrendsPayload,
} from '../feeds/payloads.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isTrendCategory(value: unknown): value is TrendCategory {
  return typeof value === 'string' && (TREND_CATEGORIES as readonly string[]).includes(value);
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A topic with the fields we draw, or undefined when name, category or score is missing. */
export function toTrendTopic(value: unknown): TrendTopic | undefined {
  if (!isRecord(value)) return undefined;
  const { id, name, category, score } = value;
  if (typeof name !== 'string' || !isTrendCategory(category)) return undefined;
  if (typeof score !== 'number' || !Number.isFinite(score)) return undefined;
  const history = Array.isArray(value.history)
    ? value.history.filter((point): point is number => typeof point === 'number' && Number.isFinite(point))
    : [];
  return {
    id: typeof id === 'string' ? id : `${category}:${name}`,
    name,
    category,
    score,
    change: finiteOr(value.change, 0),
    history,
    hot: value.hot === true,
  };
}

/** A trends payload (`trends` or `trends:<category>`), or undefined when the shape is wrong. */
export function toTrendsPayload(value: unknown): TrendsPayload | undefined {
  if (!isRecord(value) || !Array.isArray(value.topics)) return undefined;
  const topics = value.topics.map(toTrendTopic).filter((topic): topic is TrendTopic => topic !== undefined);
  return {
    tick: finiteOr(value.tick, 0),
    timestamp: typeof value.timestamp === 'string' ? value.timestamp : new Date().toISOString(),
    topics,
  };
}

/** What the alert line shows of a `hot_trend` entry on `events`. */
export interface HotAlert {
  message: string;
  timestamp: string;
  /** When the entry names its category, so alerts of unwatched categories can be hidden. */
  category?: TrendCategory;
}

/** A `hot_trend` activity entry as a HotAlert; undefined for any other entry. */
export function toHotAlert(value: unknown): HotAlert | undefined {
  if (!isRecord(value)) return undefined;
  const entry = value as Partial<ActivityPayload>;
  if (entry.kind !== 'hot_trend' || typeof entry.message !== 'string') return undefined;
  const data = isRecord(entry.data) ? entry.data : {};
  const category = isTrendCategory(data.category) ? data.category : undefined;
  return {
    message: entry.message,
    timestamp: typeof entry.timestamp === 'string' ? entry.timestamp : new Date().toISOString(),
    ...(category === undefined ? {} : { category }),
  };
}
