import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeeds } from '../../src/feeds/index.ts';
import type { Feed } from '../../src/feeds/types.ts';
import { DEFAULT_CONFIG } from '../../src/server/config.ts';
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import { recordingContext } from './recording-context.ts';

const OPTIONS = {
  trendIntervalMs: DEFAULT_CONFIG.trendIntervalMs,
  cpuAlertPercent: DEFAULT_CONFIG.cpuAlertPercent,
};

describe('createFeeds', () => {
  let feeds: Feed[] = [];

  afterEach(() => {
    for (const feed of feeds) feed.stop();
    feeds = [];
    vi.useRealTimers();
  });

  it('creates one feed per switch that is on', () => {
    expect(createFeeds(NO_FEEDS, OPTIONS)).toEqual([]);
    expect(createFeeds(DEFAULT_CONFIG.feeds, OPTIONS).map((f) => f.name)).toEqual([
      'trends',
      'metrics',
      'stocks',
      'notifications',
    ]);
    expect(createFeeds({ ...NO_FEEDS, stocks: true, activity: true }, OPTIONS).map((f) => f.name)).toEqual([
      'stocks',
    ]);
  });

  it('passes the trend interval and the CPU threshold on', async () => {
    vi.useFakeTimers();
    const recording = recordingContext();
    feeds = createFeeds({ ...NO_FEEDS, trends: true }, { ...OPTIONS, trendIntervalMs: 700 });
    feeds.forEach((feed) => feed.start(recording.context));
    await vi.advanceTimersByTimeAsync(2100);
    expect(recording.on('trends')).toHaveLength(4);
    expect(() => createFeeds({ ...NO_FEEDS, metrics: true }, { ...OPTIONS, cpuAlertPercent: 101 })).toThrow(
      /101/,
    );
  });
});
