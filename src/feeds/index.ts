/**
 * The built-in feeds, created from the server's switches. The server starts each with a
 * FeedContext and runs them once per cluster. The `activity` switch is the server's (it owns the
 * `events` channel); feeds only hand it entries through FeedContext.activity.
 */
import type { FeedSwitches } from './feed-switches.ts';
import type { NetworkInterfaceSelection } from './system-sampler.ts';
import { MetricsFeed } from './metrics-feed.ts';
import { NotificationsFeed } from './notifications-feed.ts';
import { StocksFeed } from './stocks-feed.ts';
import { TrendsFeed } from './trends-feed.ts';
import type { Feed } from './types.ts';

export interface FeedOptions {
  /** Time between trend ticks, ms. */
  trendIntervalMs: number;
  /** CPU % above which the metrics feed raises an activity alert. */
  cpuAlertPercent: number;
  /** Network interfaces the metrics feed sums; default `external` (loopback left out). */
  metricsInterfaces?: NetworkInterfaceSelection;
}

export function createFeeds(switches: FeedSwitches, options: FeedOptions): Feed[] {
  const feeds: Feed[] = [];
  if (switches.trends) feeds.push(new TrendsFeed({ intervalMs: options.trendIntervalMs }));
  if (switches.metrics)
    feeds.push(
      new MetricsFeed({ cpuAlertPercent: options.cpuAlertPercent, interfaces: options.metricsInterfaces }),
    );
  if (switches.stocks) feeds.push(new StocksFeed());
  if (switches.notifications) feeds.push(new NotificationsFeed());
  return feeds;
}

export type { Feed, FeedContext } from './types.ts';
export { NO_FEEDS, type FeedSwitches } from './feed-switches.ts';
export { MetricsFeed, type MetricsFeedOptions } from './metrics-feed.ts';
export { NotificationsFeed, type NotificationsFeedOptions } from './notifications-feed.ts';
export { StocksFeed, type StocksFeedOptions } from './stocks-feed.ts';
export { TrendsFeed, type TrendsFeedOptions } from './trends-feed.ts';
export type { PriceSource } from './price-source.ts';
export { SimulatedPriceSource } from './simulated-price-source.ts';
export {
  SystemInformationSampler,
  parseInterfaceSelection,
  selectInterfaces,
  type NetworkInterfaceSelection,
  type SystemSampler,
  type SystemSample,
} from './system-sampler.ts';
