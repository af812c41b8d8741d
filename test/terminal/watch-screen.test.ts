/**
 * The real WatchApp rendered from states the test sets itself (no hub), for what a live feed
 * cannot be made to show on cue: a two-digit rank move, the order of the rows while a tick
 * animates, the stale marking and the reason the connection dropped, ASCII glyphs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrendTopic, TrendsPayload } from '../../src/protocol/payloads.ts';
import { ANIMATION_FRAME_MS } from '../../src/terminal/animation.ts';
import { ASCII_GLYPHS } from '../../src/terminal/glyphs.ts';
import { initialWatchState } from '../../src/terminal/watch-state.ts';
import { createWatchStore, type WatchStore } from '../../src/terminal/watch-store.ts';
import { renderWatchScreen, scoresOf, trendLines, type RenderedWatchScreen } from './render-watch-app.tsx';

function topic(name: string, score: number, change: number): TrendTopic {
  return { id: name, name, category: 'games', score, change, history: [score - change, score], hot: false };
}

function payload(topics: TrendTopic[], tick = 7): TrendsPayload {
  return { tick, timestamp: '2025-06-01T12:00:00.000Z', topics };
}

/** 20 games topics at 2000, 1900, … 100 that kept their places, and #QuestBug jumping from 21st to 5th. */
function bigMove(): TrendTopic[] {
  const steady = Array.from({ length: 20 }, (_, i) =>
    topic(`#Game${String(i + 1).padStart(2, '0')}`, 2000 - i * 100, 0),
  );
  return [...steady, topic('#QuestBug', 1650, 1600)];
}

/** The frame once it passes `check` (the store's changes reach the screen on React's schedule). */
function frameWhen(screen: RenderedWatchScreen, check: (frame: string) => boolean): Promise<string> {
  return vi.waitFor(
    () => {
      const frame = screen.frame();
      if (!check(frame)) throw new Error(`frame did not match yet:\n${frame}`);
      return frame;
    },
    { timeout: 5000, interval: 20 },
  );
}

function connectedStore(): WatchStore {
  const store = createWatchStore(initialWatchState(['games']));
  store.dispatch({ type: 'status', status: { state: 'connected', previous: 'connecting' }, at: Date.now() });
  store.dispatch({ type: 'subscribed', category: 'games' });
  return store;
}

describe('watch screen', () => {
  let screen: RenderedWatchScreen | undefined;
  afterEach(() => {
    screen?.close();
    screen = undefined;
  });

  it('gives a two-digit rank move its own column: the name never moves', () => {
    const store = connectedStore();
    store.dispatch({ type: 'trends', category: 'games', payload: payload(bigMove()), at: Date.now() });
    screen = renderWatchScreen(store);
    const rows = trendLines(screen.frame());
    expect(rows[4]).toMatch(/^ {2}5\. ↑16 #QuestBug\s/);
    expect(rows[5]).toMatch(/^ {2}6\. ↓1 {2}#Game05\s/);
    // Every name starts in the same column, moved or not.
    expect(new Set(rows.map((row) => row.indexOf('#'))).size).toBe(1);
    expect(screen.frame()).toMatch(/^ {9}TOPIC/m);
  });

  it('orders the rows by the score on screen while a tick animates, not by the one it counts to', async () => {
    const store = connectedStore();
    store.dispatch({
      type: 'trends',
      category: 'games',
      payload: payload(bigMove().map((t) => ({ ...t, change: 0 }))),
      at: 1,
    });
    screen = renderWatchScreen(store, { animate: true });
    const before = screen.frames().length;
    store.dispatch({ type: 'trends', category: 'games', payload: payload(bigMove(), 8), at: Date.now() });
    // The animation ends with #QuestBug 5th at its new score, ANIMATION_MS after the tick.
    await frameWhen(screen, (frame) => / {2}5\. ↑16 #QuestBug .* 1,650 /.test(frame));
    await new Promise((resolve) => setTimeout(resolve, 2 * ANIMATION_FRAME_MS));
    const frames = screen.frames().slice(before);
    // Ink draws a frame per animation step; every one reads top to bottom in the order of its scores.
    expect(frames.length).toBeGreaterThan(2);
    const placesOfQuestBug = new Set<number>();
    for (const frame of frames) {
      const scores = scoresOf(frame);
      expect(scores, frame).toEqual([...scores].sort((a, b) => b - a));
      const rows = trendLines(frame);
      expect(rows.map((row) => Number(/^\s*(\d+)\./.exec(row)?.[1]))).toEqual(rows.map((_, i) => i + 1));
      // 0: below the top 16 still.
      placesOfQuestBug.add(rows.findIndex((row) => row.includes('#QuestBug')) + 1);
    }
    // #QuestBug climbs into the list as its score counts up (not at 5th from the first frame on).
    expect(placesOfQuestBug.size).toBeGreaterThan(1);
    expect(trendLines(frames.at(-1) ?? '')[4]).toMatch(/^ {2}5\. ↑16 #QuestBug\s/);
  });

  it('marks the table stale when the connection drops and says why, then live again', async () => {
    const store = connectedStore();
    store.dispatch({ type: 'trends', category: 'games', payload: payload(bigMove(), 41), at: 1 });
    screen = renderWatchScreen(store);
    expect(screen.frame()).not.toContain('stale');
    const droppedAt = new Date(2025, 0, 1, 12, 3, 4).getTime();
    store.dispatch({
      type: 'status',
      status: {
        state: 'reconnecting',
        previous: 'connected',
        attempt: 1,
        delayMs: 400,
        code: 1012,
        reason: 'server restarting',
      },
      at: droppedAt,
    });
    store.dispatch({
      type: 'status',
      status: {
        state: 'reconnecting',
        previous: 'reconnecting',
        attempt: 2,
        delayMs: 900,
        code: 1006,
        reason: '',
      },
      at: droppedAt + 1000,
    });
    const frame = await frameWhen(screen, (f) => f.includes('attempt 2'));
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(/◌ reconnecting in \ds \(attempt 2\) · hub restarting \(1012\)/);
    expect(lines[4]).toBe('stale since 12:03:04 · showing tick 41 until reconnected');
    // The rows stay, and the line keeps its place: nothing below moves.
    expect(trendLines(frame)).toHaveLength(16);
    expect(lines[5]).toMatch(/^\s+TOPIC/);
    store.dispatch({
      type: 'status',
      status: { state: 'connected', previous: 'reconnecting' },
      at: droppedAt + 2000,
    });
    const live = await frameWhen(screen, (f) => f.includes('● connected'));
    expect(live).not.toContain('stale');
    expect(live).not.toContain('1012');
    expect(live.split('\n')[4].trim()).toBe('');
  });

  it('draws only ASCII with the ASCII glyphs', () => {
    const store = connectedStore();
    const topics = bigMove();
    topics[0] = { ...topics[0], name: '#CaféNight', hot: true };
    store.dispatch({ type: 'trends', category: 'games', payload: payload(topics), at: 1 });
    store.dispatch({
      type: 'alert',
      alert: {
        message: '#CaféNight is surging in Games: 1,489 → 4,096 (+175%)',
        timestamp: '2025-06-01T12:00:00Z',
      },
    });
    screen = renderWatchScreen(store, { glyphs: ASCII_GLYPHS });
    const frame = screen.frame();
    expect(frame).toMatch(/^[\x20-\x7e\n]*$/);
    expect(frame).toContain('TRENDSTREAM * connected  ws://hub.test/ws | tick 7');
    expect(frame).toContain('#CafeNight is surging in Games: 1,489 -> 4,096 (+175%)');
    const rows = trendLines(frame);
    expect(rows[0]).toMatch(/^ {2}1\. {5}#CafeNight\s+Games\s+2,000\s+= 0\s+::\s+HOT$/);
    expect(rows[4]).toMatch(/^ {2}5\. \^16 #QuestBug\s+Games\s+1,650\s+\^ \+1,600\s+_#$/);
    expect(scoresOf(frame)).toEqual([...scoresOf(frame)].sort((a, b) => b - a));
  });
});
