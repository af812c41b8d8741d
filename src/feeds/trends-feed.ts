/**
 * The `trends` feed: every `intervalMs` it advances the trend simulation and publishes the whole
 * dataset on `trends` and each category's slice on `trends:<category>` (same tick and timestamp, so a
 * client may filter itself or let the server do it). Topics that turn hot raise a `hot_trend` entry
 * on the activity feed, at most `maxAlertsPerTick` per tick (the largest rises).
 */
import { Channel, trendCategoryChannel } from '../protocol/channels.ts';
import { isoTime, systemClock, type Clock } from './clock.ts';
import { activityLogged, publishLogged } from './feed-output.ts';
import {
  TREND_CATEGORIES,
  type ActivityPayload,
  type HotTrendData,
  type TrendCategory,
  type TrendsPayload,
} from '../protocol/payloads.ts';
import { startTicker, type Ticker } from './ticker.ts';
import { TrendSimulation, type HotTrend, type TrendSimulationOptions } from './trend-simulation.ts';
import type { Feed, FeedContext } from './types.ts';

export interface TrendsFeedOptions extends TrendSimulationOptions {
  /** Time between ticks; default 3000 ms. */
  intervalMs?: number;
  /** Most hot-trend activity entries per tick; default 3. */
  maxAlertsPerTick?: number;
  clock?: Clock;
}

export class TrendsFeed implements Feed {
  readonly name = 'trends';
  readonly #simulation: TrendSimulation;
  readonly #categories: readonly TrendCategory[];
  readonly #intervalMs: number;
  readonly #maxAlerts: number;
  readonly #clock: Clock;
  #ticker: Ticker | undefined;

  constructor(options: TrendsFeedOptions = {}) {
    this.#simulation = new TrendSimulation(options);
    this.#categories = options.categories ?? TREND_CATEGORIES;
    this.#intervalMs = options.intervalMs ?? 3000;
    this.#maxAlerts = options.maxAlertsPerTick ?? 3;
    this.#clock = options.clock ?? systemClock;
  }

  /** Publishes the current dataset at once (so `trends` has a snapshot), then one tick per interval. */
  start(context: FeedContext): void {
    if (this.#ticker) throw new Error('trends feed already started');
    const onError = (error: unknown): void => context.log.error({ err: error }, 'trends tick failed');
    this.#ticker = startTicker(this.#intervalMs, () => this.#tick(context), onError);
    this.#publishAll(context).catch(onError);
  }

  stop(): void {
    this.#ticker?.stop();
    this.#ticker = undefined;
  }

  async #tick(context: FeedContext): Promise<void> {
    const { hot } = this.#simulation.step();
    await this.#publishAll(context);
    await Promise.all(
      hot.slice(0, this.#maxAlerts).map((trend) => activityLogged(context, hotTrendEntry(trend))),
    );
  }

  async #publishAll(context: FeedContext): Promise<void> {
    const payload: TrendsPayload = {
      tick: this.#simulation.tick,
      timestamp: isoTime(this.#clock),
      topics: this.#simulation.topics(),
    };
    const slices = this.#categories.map((category) => {
      const slice: TrendsPayload = {
        ...payload,
        topics: payload.topics.filter((t) => t.category === category),
      };
      return publishLogged(context, trendCategoryChannel(category), slice);
    });
    await Promise.all([publishLogged(context, Channel.Trends, payload), ...slices]);
  }
}

function hotTrendEntry({ topic, previousScore, rise }: HotTrend): Omit<ActivityPayload, 'id' | 'timestamp'> {
  const percent = Math.round(rise * 100);
  const data: HotTrendData = {
    id: topic.id,
    name: topic.name,
    category: topic.category,
    score: topic.score,
    previous_score: previousScore,
    rise_percent: percent,
  };
  return {
    level: 'warn',
    kind: 'hot_trend',
    message: `${topic.name} is surging in ${capitalize(topic.category)}: ${formatCount(previousScore)} → ${formatCount(topic.score)} (+${percent}%)`,
    data,
  };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
