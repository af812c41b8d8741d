/**
 * A PriceSource that simulates a trading day: each symbol follows a geometric random walk with its
 * own drift and volatility (so a price can approach but never reach zero), and the source keeps the
 * day's open, high, low and volume, starting a new day when the clock's UTC date changes.
 */
import type { StockQuote } from '../protocol/payloads.ts';
import { systemClock, type Clock } from './clock.ts';
import type { PriceSource } from './price-source.ts';
import { gaussian, randomBetween, type Random } from './random.ts';
import { DEFAULT_STOCKS, type SimulatedStock } from './stock-symbols.ts';

export interface SimulatedPriceSourceOptions {
  symbols?: readonly SimulatedStock[];
  random?: Random;
  clock?: Clock;
}

/** The smallest price quoted: a cent. */
const MIN_PRICE = 0.01;

interface Session {
  stock: SimulatedStock;
  /** Unrounded price, carried between steps. */
  price: number;
  open: number;
  high: number;
  low: number;
  volume: number;
}

export class SimulatedPriceSource implements PriceSource {
  readonly #random: Random;
  readonly #clock: Clock;
  #sessions: Session[];
  #day: string;

  constructor(options: SimulatedPriceSourceOptions = {}) {
    this.#random = options.random ?? Math.random;
    this.#clock = options.clock ?? systemClock;
    const symbols = options.symbols ?? DEFAULT_STOCKS;
    for (const stock of symbols) {
      if (!(stock.price > 0) || !(stock.volatility >= 0))
        throw new Error(`${stock.symbol}: price must be above 0 and volatility not negative`);
    }
    this.#day = utcDay(this.#clock());
    this.#sessions = symbols.map((stock) => openSession(stock, stock.price));
  }

  quotes(): Promise<StockQuote[]> {
    return Promise.resolve(this.step());
  }

  /** Advances every symbol by one step and returns the new quotes. */
  step(): StockQuote[] {
    const day = utcDay(this.#clock());
    if (day !== this.#day) {
      this.#day = day;
      this.#sessions = this.#sessions.map((session) => openSession(session.stock, session.price));
    }
    return this.#sessions.map((session) => this.#advance(session));
  }

  #advance(session: Session): StockQuote {
    const { drift, volatility } = session.stock;
    // Log-normal step: exp() of any real number is positive, so the price never crosses zero.
    const logReturn = drift - (volatility * volatility) / 2 + volatility * gaussian(this.#random);
    session.price = Math.max(MIN_PRICE, session.price * Math.exp(logReturn));
    session.high = Math.max(session.high, session.price);
    session.low = Math.min(session.low, session.price);
    // Busier on bigger moves, as real tape is.
    const activity = 1 + Math.min(20, Math.abs(logReturn) / Math.max(volatility, 1e-9));
    session.volume += Math.round(session.stock.volume * randomBetween(this.#random, 0.5, 1.5) * activity);
    return toQuote(session);
  }
}

function openSession(stock: SimulatedStock, price: number): Session {
  return { stock, price, open: price, high: price, low: price, volume: 0 };
}

function toQuote(session: Session): StockQuote {
  const price = cents(session.price);
  const open = cents(session.open);
  const change = cents(price - open);
  return {
    symbol: session.stock.symbol,
    name: session.stock.name,
    price,
    open,
    high: cents(session.high),
    low: cents(session.low),
    change,
    change_percent: Math.round(((price - open) / open) * 10_000) / 100,
    volume: session.volume,
  };
}

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
