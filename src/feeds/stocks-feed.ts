/**
 * The `stocks` feed: at start and then every `intervalMs` (default 1 s) it asks its PriceSource for
 * quotes and publishes them on `stocks`. Defaults to the simulated source.
 */
import { Channel } from '../protocol/channels.ts';
import { isoTime, systemClock, type Clock } from './clock.ts';
import { publishLogged } from './feed-output.ts';
import type { StocksPayload } from '../protocol/payloads.ts';
import type { PriceSource } from './price-source.ts';
import { SimulatedPriceSource } from './simulated-price-source.ts';
import { startTicker, type Ticker } from './ticker.ts';
import type { Feed, FeedContext } from './types.ts';

export interface StocksFeedOptions {
  /** Default: a SimulatedPriceSource with the demo symbols. */
  source?: PriceSource;
  /** Default 1000 ms. */
  intervalMs?: number;
  clock?: Clock;
}

export class StocksFeed implements Feed {
  readonly name = 'stocks';
  readonly #source: PriceSource;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  #ticker: Ticker | undefined;
  /** Bumped on every start and stop, so quotes still in flight from an earlier run are dropped. */
  #generation = 0;

  constructor(options: StocksFeedOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#source = options.source ?? new SimulatedPriceSource({ clock: this.#clock });
    this.#intervalMs = options.intervalMs ?? 1000;
  }

  start(context: FeedContext): void {
    if (this.#ticker) throw new Error('stocks feed already started');
    const onError = (error: unknown): void => context.log.warn({ err: error }, 'stock quotes failed');
    const generation = ++this.#generation;
    const tick = (): Promise<void> => this.#tick(context, generation);
    this.#ticker = startTicker(this.#intervalMs, tick, onError, { immediate: true });
  }

  stop(): void {
    this.#generation += 1;
    this.#ticker?.stop();
    this.#ticker = undefined;
  }

  async #tick(context: FeedContext, generation: number): Promise<void> {
    const quotes = await this.#source.quotes();
    if (generation !== this.#generation) return;
    const payload: StocksPayload = { timestamp: isoTime(this.#clock), quotes };
    await publishLogged(context, Channel.Stocks, payload);
  }
}
