/**
 * Stock quotes from `stocks`: the latest table (snapshot, then live), each symbol's recent prices
 * (history on subscribe, then live) for the price chart, and the direction of the last move for
 * the flashing cells.
 */
import { computed, signal } from '@preact/signals';
import type uPlot from 'uplot';
import type { PublicationFrame, SubscribedInfo } from '../../client/types.ts';
import { Channel } from '../../protocol/channels.ts';
import { isStocksPayload } from '../../protocol/payload-guards.ts';
import type { StockQuote, StocksPayload } from '../../protocol/payloads.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { bindChannel, type ChannelBinding } from '../lib/hub.ts';

const MAX_PRICES = 100;

export type Move = 'up' | 'down' | 'same';

export interface QuoteRow {
  quote: StockQuote;
  move: Move;
  /** Bumped on every price change, so the flash animation restarts. */
  tick: number;
}

export const quoteRows = signal<readonly QuoteRow[]>([]);
export const selectedSymbol = signal<string | undefined>(undefined);
export const lastUpdate = signal<string | undefined>(undefined);

/** Recent prices per symbol: `[epoch s, price]`, oldest first. */
const prices = new Map<string, Array<[number, number]>>();
const pricesVersion = signal(0);
let latest: StocksPayload | undefined;
let rows = new Map<string, QuoteRow>();
let binding: ChannelBinding | undefined;

export const selectedPriceData = computed<uPlot.AlignedData>(() => {
  void pricesVersion.value;
  const series = prices.get(selectedSymbol.value ?? '') ?? [];
  return [series.map(([time]) => time), series.map(([, price]) => price)];
});

export function startStocks(): void {
  binding ??= bindChannel(Channel.Stocks, { onPublication, onSubscribed });
}

export function stopStocks(): void {
  binding?.stop();
  binding = undefined;
}

function onSubscribed(info: SubscribedInfo): void {
  if (isStocksPayload(info.snapshot)) accept(info.snapshot);
  if (!info.first && info.recovered) return;
  binding?.subscription
    ?.history({ limit: MAX_PRICES })
    .then((reply) => {
      for (const publication of reply.publications) {
        if (isStocksPayload(publication.data)) recordPrices(publication.data, publication.timestamp);
      }
      scheduleRender(renderStocks);
    })
    .catch((error: unknown) => console.warn('[stocks]', error));
}

function onPublication(publication: PublicationFrame): void {
  if (!isStocksPayload(publication.data)) return;
  recordPrices(publication.data, publication.timestamp);
  accept(publication.data);
}

function accept(payload: StocksPayload): void {
  latest = payload;
  scheduleRender(renderStocks);
}

function recordPrices(payload: StocksPayload, timestamp: string): void {
  const time = Date.parse(timestamp || payload.timestamp) / 1000;
  for (const quote of payload.quotes) {
    const series = prices.get(quote.symbol) ?? [];
    if (series.some(([seen]) => seen === time)) continue;
    series.push([time, quote.price]);
    series.sort((a, b) => a[0] - b[0]);
    if (series.length > MAX_PRICES) series.splice(0, series.length - MAX_PRICES);
    prices.set(quote.symbol, series);
  }
}

function renderStocks(): void {
  pricesVersion.value += 1;
  if (!latest) return;
  const next = new Map<string, QuoteRow>();
  for (const quote of latest.quotes) {
    const previous = rows.get(quote.symbol);
    if (!previous) {
      next.set(quote.symbol, { quote, move: 'same', tick: 0 });
    } else if (previous.quote.price === quote.price) {
      next.set(quote.symbol, { ...previous, quote });
    } else {
      const move: Move = quote.price > previous.quote.price ? 'up' : 'down';
      next.set(quote.symbol, { quote, move, tick: previous.tick + 1 });
    }
  }
  rows = next;
  quoteRows.value = [...next.values()];
  lastUpdate.value = latest.timestamp;
  if (selectedSymbol.peek() === undefined) selectedSymbol.value = latest.quotes[0]?.symbol;
}
