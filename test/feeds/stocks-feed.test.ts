import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StockQuote, StocksPayload } from '../../src/protocol/payloads.ts';
import type { PriceSource } from '../../src/feeds/price-source.ts';
import { seededRandom } from '../../src/feeds/random.ts';
import { SimulatedPriceSource } from '../../src/feeds/simulated-price-source.ts';
import { StocksFeed } from '../../src/feeds/stocks-feed.ts';
import { recordingContext } from './recording-context.ts';

const START = Date.parse('2025-03-03T14:30:00.000Z');

describe('StocksFeed', () => {
  let feed: StocksFeed | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });

  afterEach(() => {
    feed?.stop();
    vi.useRealTimers();
  });

  it('publishes simulated quotes at start and every second', async () => {
    const recording = recordingContext();
    feed = new StocksFeed({ source: new SimulatedPriceSource({ random: seededRandom(1) }) });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(0);
    expect(recording.on('stocks')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(recording.on('stocks')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(59_001);
    const published = recording.on('stocks').map((p) => p.data as StocksPayload);
    expect(published).toHaveLength(61);
    expect(recording.publishes).toHaveLength(61);
    expect(published[1]?.timestamp).toBe('2025-03-03T14:30:01.000Z');

    const first = published[0]?.quotes ?? [];
    const last = published.at(-1)?.quotes ?? [];
    expect(first.length).toBeGreaterThanOrEqual(8);
    last.forEach((quote, index) => {
      expect(quote.symbol).toBe(first[index]?.symbol);
      expect(quote.open).toBe(first[index]?.open);
      expect(quote.price).toBeGreaterThan(0);
      expect(quote.volume).toBeGreaterThan(first[index]?.volume ?? Infinity);
    });
    expect(last.filter((q, i) => q.price !== first[i]?.price).length).toBeGreaterThan(first.length / 2);
    for (const publish of recording.publishes) expect(JSON.stringify(publish.data)).toBe(publish.json);
  });

  it('publishes whatever a plugged-in PriceSource returns', async () => {
    const quote: StockQuote = {
      symbol: 'ACME',
      name: 'Acme',
      price: 10,
      open: 9,
      high: 11,
      low: 8.5,
      change: 1,
      change_percent: 11.11,
      volume: 5,
    };
    let calls = 0;
    const source: PriceSource = {
      quotes: () => {
        calls += 1;
        return Promise.resolve([{ ...quote, volume: calls }]);
      },
    };
    const recording = recordingContext();
    feed = new StocksFeed({ source, intervalMs: 250 });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(1000);
    expect(recording.on('stocks').map((p) => (p.data as StocksPayload).quotes[0]?.volume)).toEqual([
      1, 2, 3, 4, 5,
    ]);
  });

  it('skips a beat instead of piling up when the source is slow, and drops late quotes after stop', async () => {
    let pending = 0;
    const slow: PriceSource = {
      quotes: () => {
        pending += 1;
        return new Promise((resolve) => setTimeout(() => resolve([]), 2500));
      },
    };
    const recording = recordingContext();
    feed = new StocksFeed({ source: slow, intervalMs: 1000 });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(5000);
    expect(pending).toBe(2); // at 0 and at 3000 (1000 and 2000 were skipped)
    expect(recording.on('stocks')).toHaveLength(1);
    feed.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(recording.on('stocks')).toHaveLength(1);
  });

  it('logs a failing source and keeps going', async () => {
    let calls = 0;
    const flaky: PriceSource = {
      quotes: () => {
        calls += 1;
        return calls === 2 ? Promise.reject(new Error('feed offline')) : Promise.resolve([]);
      },
    };
    const recording = recordingContext();
    feed = new StocksFeed({ source: flaky });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(3000);
    expect(recording.on('stocks')).toHaveLength(3);
    expect(recording.problems.join('')).toContain('feed offline');
  });
});
