/**
 * The interactive screen, rendered with ink-testing-library, against a real hub running the real
 * trends feed: category keys subscribe and unsubscribe on the wire, A watches all, Q quits,
 * hot-trend alerts show, and the status line follows a lost connection: why it dropped, the table
 * marked stale, a category picked offline queued until the hub is back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TrendsFeed } from '../../src/feeds/trends-feed.ts';
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { channelsOf } from './recording-web-socket.ts';
import { renderWatchApp, scoresOf, trendLines, type RenderedWatchApp } from './render-watch-app.tsx';

const CATEGORY_NAMES = ['Music', 'Games', 'Fashion', 'Celebs', 'Tech', 'Memes', 'Sports', 'Movies'];

function categoriesIn(frame: string): Set<string> {
  return new Set(
    trendLines(frame).map((line) => CATEGORY_NAMES.find((name) => line.includes(` ${name} `)) ?? '?'),
  );
}

describe('watch app against a live hub', () => {
  let server: RunningServer;
  let app: RenderedWatchApp | undefined;

  beforeAll(async () => {
    server = await startTestServer({ feeds: { ...NO_FEEDS, trends: true }, trendIntervalMs: 150 });
  });
  afterEach(() => {
    app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await server.close();
  });

  it('toggles categories with their keys: subscribe, filter, sort, unsubscribe', async () => {
    app = renderWatchApp(server.wsUrl);
    await app.waitForFrame(
      (frame) => frame.includes('● connected') && frame.includes('Not watching anything yet'),
    );
    expect(app.frame()).toContain(
      '[M]usic [G]ames [F]ashion [C]elebs [T]ech M[E]mes [S]ports Mo[V]ies [A]ll [Q]uit',
    );

    app.press('m');
    let frame = await app.waitForFrame((f) => f.includes('Now watching Music') && trendLines(f).length === 6);
    // Said once the hub confirmed the subscription (its snapshot follows the confirmation).
    expect(frame).toContain('Subscribed to Music! Watching trends…');
    expect(categoriesIn(frame)).toEqual(new Set(['Music']));

    app.press('t');
    frame = await app.waitForFrame(
      (f) => f.includes('Now watching Music, Tech') && trendLines(f).length === 12,
    );
    expect(categoriesIn(frame)).toEqual(new Set(['Music', 'Tech']));
    const scores = scoresOf(frame);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(trendLines(frame)[0]).toMatch(/^\s+1\.\s/);

    app.press('m');
    frame = await app.waitForFrame((f) => f.includes('Now watching Tech') && trendLines(f).length === 6);
    expect(frame).toContain('Unsubscribed from Music');
    expect(categoriesIn(frame)).toEqual(new Set(['Tech']));

    expect(channelsOf(app.wire.sent, 'subscribe')).toEqual(['events', 'trends:music', 'trends:tech']);
    expect(channelsOf(app.wire.sent, 'unsubscribe')).toEqual(['trends:music']);
    // The hub confirmed, and stops sending Music ticks while Tech ones keep coming.
    const wire = app.wire;
    await expect.poll(() => channelsOf(wire.received, 'unsubscribed')).toEqual(['trends:music']);
    const musicAfter = (): number =>
      channelsOf(wire.received, 'publication').filter((c) => c === 'trends:music').length;
    const techAfter = (): number =>
      channelsOf(wire.received, 'publication').filter((c) => c === 'trends:tech').length;
    const [music, tech] = [musicAfter(), techAfter()];
    await expect.poll(techAfter, { timeout: 3000 }).toBeGreaterThanOrEqual(tech + 3);
    expect(musicAfter()).toBe(music);
  });

  it('A watches every category, limited to the top N with a "+N more" line', async () => {
    app = renderWatchApp(server.wsUrl, { maxRows: 10 });
    await app.waitForFrame((frame) => frame.includes('● connected'));
    app.press('A');
    const frame = await app.waitForFrame((f) => trendLines(f).length === 10 && f.includes('+38 more'));
    expect(frame).toContain('Now watching all categories  · Subscribed to all categories');
    expect(
      channelsOf(app.wire.sent, 'subscribe')
        .filter((c) => c.startsWith('trends:'))
        .sort(),
    ).toEqual(CATEGORY_NAMES.map((name) => `trends:${name.toLowerCase()}`).sort());
    const scores = scoresOf(frame);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('starts with --categories already watched', async () => {
    app = renderWatchApp(server.wsUrl, { categories: ['games', 'movies'] });
    const frame = await app.waitForFrame((f) => trendLines(f).length === 12);
    expect(frame).toContain('Now watching Games, Movies');
    expect(categoriesIn(frame)).toEqual(new Set(['Games', 'Movies']));
  });

  it('Q quits: the quit handler runs and keys no longer change the screen', async () => {
    app = renderWatchApp(server.wsUrl);
    await app.waitForFrame((frame) => frame.includes('● connected'));
    app.press('q');
    await expect.poll(() => app?.quits()).toBe(1);
    const before = app.frame();
    app.press('m');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.frame()).toBe(before);
    expect(channelsOf(app.wire.sent, 'subscribe')).not.toContain('trends:music');
  });
});

describe('watch app: alerts and connection state', () => {
  let app: RenderedWatchApp | undefined;
  afterEach(() => {
    app?.close();
    app = undefined;
  });

  it('shows hot-trend alerts of watched categories from the events channel', async () => {
    // Every topic surges every tick, and short lifespans keep replacing topics that hit the score cap, so
    // hot_trend alerts keep coming however late the app subscribes on a loaded machine.
    const feed = new TrendsFeed({
      intervalMs: 150,
      surgeProbability: 1,
      lifespanTicks: [2, 4],
      categories: ['music', 'tech'],
    });
    const server = await startTestServer({ feedList: [feed] });
    try {
      app = renderWatchApp(server.wsUrl, { categories: ['music'] });
      const frame = await app.waitForFrame((f) => / HOT .*is surging in Music/.test(f));
      expect(frame).not.toMatch(/is surging in Tech/);
      expect(trendLines(frame).some((line) => line.trimEnd().endsWith('HOT'))).toBe(true);
    } finally {
      app?.close();
      app = undefined;
      await server.close();
    }
  });

  it('says when and why the connection is lost, queues a subscribe made offline, and resumes when the hub is back', async () => {
    const options = { feeds: { ...NO_FEEDS, trends: true }, trendIntervalMs: 150 };
    let server = await startTestServer(options);
    try {
      app = renderWatchApp(server.wsUrl, { categories: ['tech'] });
      await app.waitForFrame((frame) => frame.includes('● connected') && trendLines(frame).length === 6);
      expect(app.frame()).not.toContain('stale');
      // A graceful stop closes every connection with 1012 (service restart).
      await server.close();
      const wire = app.wire;
      const techTicks = (): number =>
        channelsOf(wire.received, 'publication').filter((c) => c === 'trends:tech').length;
      const ticksBefore = techTicks();
      let frame = await app.waitForFrame((f) => /◌ reconnecting( in \d+s)? \(attempt \d+\)/.test(f));
      // Why, kept while the retries fail with 1006; and the last known trends stay, marked stale.
      expect(frame.split('\n')[0]).toMatch(/\(attempt \d+\) · hub restarting \(1012\)/);
      expect(frame).toMatch(
        /^stale since \d\d:\d\d:\d\d · showing (tick \d+|the last data) until reconnected$/m,
      );
      expect(trendLines(frame)).toHaveLength(6);
      frame = await app.waitForFrame((f) => /\(attempt [3-9]\d*\)/.test(f));
      expect(frame).toContain('hub restarting (1012)');
      // A key pressed offline is queued, not announced as done.
      app.press('m');
      frame = await app.waitForFrame((f) => f.includes('Now watching Tech, Music'));
      expect(frame).toContain('Music: queued, subscribes when connected');
      expect(frame).not.toContain('Subscribed to Music');
      server = await startTestServer({ ...options, port: server.port });
      // A new hub starts a new epoch: the client resubscribes by itself and redraws from the new ticks.
      frame = await app.waitForFrame(
        (f) => f.includes('● connected') && f.includes('Subscribed to Music! Watching trends…'),
        10_000,
      );
      expect(frame).not.toContain('stale');
      expect(frame).not.toContain('1012');
      await expect.poll(techTicks, { timeout: 5000 }).toBeGreaterThanOrEqual(ticksBefore + 3);
      expect(channelsOf(wire.sent, 'subscribe').filter((c) => c === 'trends:tech')).toHaveLength(2);
      expect(channelsOf(wire.sent, 'subscribe').filter((c) => c === 'trends:music')).toHaveLength(1);
      await app.waitForFrame((f) => trendLines(f).length === 12);
    } finally {
      app?.close();
      app = undefined;
      await server.close();
    }
  });
});
