/**
 * Where the `stocks` feed gets its quotes. The simulated source ships with the product; a real
 * market-data client implements the same one method and plugs into StocksFeed unchanged.
 */
import type { StockQuote } from '../protocol/payloads.ts';

export interface PriceSource {
  /** The latest quote of every symbol this source follows, in a stable order. */
  quotes(): Promise<StockQuote[]>;
}
