import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TREND_CATEGORIES, type HotTrendData, type TrendsPayload } from '../../src/protocol/payloads.ts';
import { seededRandom } from '../../src/feeds/random.ts';
import { TrendsFeed } from '../../src/feeds/trends-feed.ts';
import { recordingContext, type RecordingContext } from './recording-context.ts';

const START = Date.parse('2025-03-01T12:00:00.000Z');

function payloads(recording: RecordingContext, channel: string): TrendsPayload[] {
  return recording.on(channel).map((p) => p.data as TrendsPayload);
}

describe('TrendsFeed', () => {
  let feed: TrendsFeed | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });

  afterEach(() => {
    feed?.stop();
    vi.useRealTimers();
  });

  it('publishes the dataset at start, then once per interval', async () => {
    const recording = recordingContext();
    feed = new TrendsFeed({ random: seededRandom(1), intervalMs: 2000 });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(0);
    expect(payloads(recording, 'trends').map((p) => p.tick)).toEqual([0]);

    await vi.advanceTimersByTimeAsync(1999);
    expect(payloads(recording, 'trends')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(payloads(recording, 'trends').map((p) => p.tick)).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(2000 * 5);
    expect(payloads(recording, 'trends').map((p) => p.tick)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // One full dataset plus one slice per category on every tick, nothing else.
    expect(recording.publishes).toHaveLength(7 * (1 + TREND_CATEGORIES.length));
    expect(payloads(recording, 'trends')[1]?.timestamp).toBe('2025-03-01T12:00:02.000Z');
    expect(recording.problems).toEqual([]);
  });

  it('publishes on trends:<category> exactly that category’s part of the full dataset', async () => {
    const recording = recordingContext();
    feed = new TrendsFeed({ random: seededRandom(2), intervalMs: 1000, lifespanTicks: [3, 6] });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(10_000);
    const full = payloads(recording, 'trends');
    expect(full).toHaveLength(11);
    for (const category of TREND_CATEGORIES) {
      const slices = payloads(recording, `trends:${category}`);
      expect(slices).toHaveLength(full.length);
      slices.forEach((slice, index) => {
        const whole = full[index];
        expect(slice.tick).toBe(whole.tick);
        expect(slice.timestamp).toBe(whole.timestamp);
        expect(slice.topics.length).toBeGreaterThan(0);
        expect(slice.topics).toEqual(whole.topics.filter((t) => t.category === category));
      });
    }
    // The slices of one tick together are the full dataset.
    const lastTick = full.at(-1) as TrendsPayload;
    const union = TREND_CATEGORIES.flatMap(
      (c) => (payloads(recording, `trends:${c}`).at(-1) as TrendsPayload).topics,
    );
    expect(new Set(union.map((t) => t.id))).toEqual(new Set(lastTick.topics.map((t) => t.id)));
  });

  it('never changes a payload after publishing it (the hub keeps it in history)', async () => {
    const recording = recordingContext();
    feed = new TrendsFeed({ random: seededRandom(3), intervalMs: 1000 });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(5000);
    for (const publish of recording.publishes) expect(JSON.stringify(publish.data)).toBe(publish.json);
    const [first, second] = payloads(recording, 'trends');
    expect(first?.topics[0]?.history).not.toBe(
      second?.topics.find((t) => t.id === first?.topics[0]?.id)?.history,
    );
  });

  it('raises a hot_trend activity entry when a topic surges', async () => {
    const recording = recordingContext();
    feed = new TrendsFeed({
      random: seededRandom(4),
      intervalMs: 1000,
      surgeProbability: 1,
      maxAlertsPerTick: 3,
    });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(0);
    expect(recording.activities).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);

    expect(recording.activities).toHaveLength(3);
    const published = payloads(recording, 'trends').at(-1) as TrendsPayload;
    for (const entry of recording.activities) {
      expect(entry).toMatchObject({ level: 'warn', kind: 'hot_trend' });
      const data = entry.data as HotTrendData;
      const topic = published.topics.find((t) => t.id === data.id);
      expect(topic).toMatchObject({ name: data.name, score: data.score, hot: true });
      expect(data.rise_percent).toBeGreaterThanOrEqual(25);
      expect(data.score).toBeGreaterThan(data.previous_score);
      expect(entry.message).toContain(data.name);
      expect(entry.message).toMatch(/surging in [A-Z][a-z]+: [\d,]+ → [\d,]+ \(\+\d+%\)/);
    }
  });

  it('raises no hot alerts while nothing surges past the threshold', async () => {
    const recording = recordingContext();
    feed = new TrendsFeed({
      random: seededRandom(5),
      intervalMs: 1000,
      surgeProbability: 0,
      hotThreshold: 5,
    });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(payloads(recording, 'trends')).toHaveLength(31);
    expect(recording.activities).toEqual([]);
  });

  it('stops publishing when stopped, and can start again', async () => {
    const recording = recordingContext();
    feed = new TrendsFeed({ random: seededRandom(6), intervalMs: 1000 });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(2000);
    feed.stop();
    const count = recording.publishes.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(recording.publishes).toHaveLength(count);
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(1000);
    expect(payloads(recording, 'trends').map((p) => p.tick)).toEqual([0, 1, 2, 2, 3]);
  });

  it('logs a failed publish and keeps ticking', async () => {
    const recording = recordingContext();
    const failing = { ...recording.context, publish: () => Promise.reject(new Error('engine down')) };
    feed = new TrendsFeed({ random: seededRandom(8), intervalMs: 1000 });
    feed.start(failing);
    await vi.advanceTimersByTimeAsync(3000);
    expect(recording.problems.length).toBe(4 * (1 + TREND_CATEGORIES.length));
    expect(recording.problems[0]).toContain('engine down');
  });
});
