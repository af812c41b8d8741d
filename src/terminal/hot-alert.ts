/**
 * What the alert line shows of the activity feed: `hot_trend` entries only. The SDK has already
 * checked each entry against the channel catalogue; the `data` of an entry is checked here.
 */
import { isHotTrendData } from '../protocol/payload-guards.ts';
import type { ActivityPayload, TrendCategory } from '../protocol/payloads.ts';

export interface HotAlert {
  message: string;
  timestamp: string;
  /** When the entry names its category, so alerts of unwatched categories can be hidden. */
  category?: TrendCategory;
}

/** A `hot_trend` activity entry as a HotAlert; undefined for any other entry. */
export function toHotAlert(entry: ActivityPayload): HotAlert | undefined {
  if (entry.kind !== 'hot_trend') return undefined;
  const alert: HotAlert = { message: entry.message, timestamp: entry.timestamp };
  if (isHotTrendData(entry.data)) alert.category = entry.data.category;
  return alert;
}
