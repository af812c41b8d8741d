import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StockQuote } from '../../src/protocol/payloads.ts';
import { seededRandom } from '../../src/feeds/random.ts';
import { SimulatedPriceSource } from '../../src/feeds/simulated-price-source.ts';
import { DEFAULT_STOCKS, type SimulatedStock } from '../../src/feeds/stock-symbols.ts';

const DAY_ONE = Date.parse('2025-03-03T14:00:00.000Z');

function stock(overrides: Partial<SimulatedStock>): SimulatedStock {
  return {
    symbol: 'TEST',
    name: 'Test Corp',
    price: 100,
    drift: 0,
    volatility: 0.01,
    volume: 100,
    ...overrides,
  };
}

/** What is wrong with a quote, given the previous one of the same trading day. */
function quoteViolations(quote: StockQuote, previous: StockQuote | undefined): string[] {
  const problems: string[] = [];
  if (!(quote.price >= 0.01)) problems.push(`price ${quote.price}`);
  if (!(quote.low <= quote.price && quote.price <= quote.high)) problems.push(`price outside day range`);
  if (!(quote.low <= quote.open && quote.open <= quote.high)) problems.push(`open outside day range`);
  if (Math.abs(quote.change - (quote.price - quote.open)) > 0.0051) problems.push(`change ${quote.change}`);
  const percent = ((quote.price - quote.open) / quote.open) * 100;
  if (Math.abs(quote.change_percent - percent) > 0.0051)
    problems.push(`change_percent ${quote.change_percent}`);
  if (!Number.isInteger(quote.volume) || quote.volume < (previous?.volume ?? 0))
    problems.push(`volume ${quote.volume}`);
  if (previous && (quote.high < previous.high || quote.low > previous.low)) problems.push('day range shrank');
  return problems;
}

describe('SimulatedPriceSource', () => {
  it('quotes every default symbol with a sane day range', async () => {
    const source = new SimulatedPriceSource({ random: seededRandom(1), clock: () => DAY_ONE });
    const quotes = await source.quotes();
    expect(quotes.map((q) => q.symbol)).toEqual(DEFAULT_STOCKS.map((s) => s.symbol));
    for (const [index, quote] of quotes.entries()) {
      expect(quoteViolations(quote, undefined)).toEqual([]);
      expect(quote.open).toBe(DEFAULT_STOCKS[index]?.price);
      expect(quote.name.length).toBeGreaterThan(0);
    }
  });

  it('never quotes a negative (or zero) price, however wild the walk', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: -0.2, max: 0.05, noNaN: true }),
        fc.double({ min: 0, max: 0.8, noNaN: true }),
        fc.double({ min: 0.01, max: 5000, noNaN: true }),
        (seed, drift, volatility, price) => {
          const source = new SimulatedPriceSource({
            symbols: [stock({ drift, volatility, price })],
            random: seededRandom(seed),
            clock: () => DAY_ONE,
          });
          const violations: string[] = [];
          let previous: StockQuote | undefined;
          for (let step = 0; step < 300; step += 1) {
            const [quote] = source.step();
            violations.push(...quoteViolations(quote, previous));
            previous = quote;
          }
          expect(violations).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('walks with each symbol’s own volatility and drift', () => {
    const calm = stock({ symbol: 'CALM', volatility: 0.001 });
    const wild = stock({ symbol: 'WILD', volatility: 0.01 });
    const rising = stock({ symbol: 'UP', volatility: 0.001, drift: 0.001, price: 50 });
    const source = new SimulatedPriceSource({
      symbols: [calm, wild, rising],
      random: seededRandom(5),
      clock: () => DAY_ONE,
    });
    const returns: number[][] = [[], [], []];
    let last = [100, 100, 50];
    let quotes: StockQuote[] = [];
    for (let step = 0; step < 3000; step += 1) {
      quotes = source.step();
      quotes.forEach((q, i) => returns[i]?.push(Math.log(q.price / last[i])));
      last = quotes.map((q) => q.price);
    }
    const deviation = returns.map(standardDeviation);
    expect(deviation[0]).toBeGreaterThan(0.0007);
    expect(deviation[0]).toBeLessThan(0.0013);
    expect(deviation[1]).toBeGreaterThan(0.008);
    expect(deviation[1]).toBeLessThan(0.012);
    // exp(0.001 × 3000) ≈ 20×, with noise of a few percent.
    expect(quotes[2]?.price).toBeGreaterThan(50 * 15);
    expect(quotes[2]?.change_percent).toBeGreaterThan(1400);
  });

  it('opens a new trading day when the UTC date changes', () => {
    let now = DAY_ONE;
    const source = new SimulatedPriceSource({
      symbols: [stock({})],
      random: seededRandom(9),
      clock: () => now,
    });
    let quote = source.step()[0];
    for (let step = 0; step < 200; step += 1) quote = source.step()[0];
    expect(quote.volume).toBeGreaterThan(100 * 200 * 0.5);
    expect(quote.open).toBe(100);

    now = Date.parse('2025-03-04T00:00:01.000Z');
    const next = source.step()[0];
    expect(next.open).toBe(quote.price);
    expect(next.volume).toBeLessThan(100 * 1.5 * 21 + 1);
    expect(next.high - next.low).toBeLessThan(quote.high - quote.low);
    expect(Math.abs(next.change)).toBeLessThan(10);
  });

  it('rejects a symbol without a positive starting price', () => {
    expect(() => new SimulatedPriceSource({ symbols: [stock({ price: 0 })] })).toThrow(/TEST/);
  });
});

function standardDeviation(values: number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}
