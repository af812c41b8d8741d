import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotificationsFeed } from '../../src/feeds/notifications-feed.ts';
import type { NotificationPayload } from '../../src/protocol/payloads.ts';
import { seededRandom } from '../../src/feeds/random.ts';
import { recordingContext } from './recording-context.ts';

const LEVELS = ['info', 'success', 'warn', 'error'];
const START = Date.parse('2025-03-01T08:00:00.000Z');

describe('NotificationsFeed', () => {
  let feed: NotificationsFeed | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });

  afterEach(() => {
    feed?.stop();
    vi.useRealTimers();
  });

  it('publishes a random notification every 5 to 15 seconds', async () => {
    const recording = recordingContext();
    feed = new NotificationsFeed({ random: seededRandom(11) });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(600_000);
    const times = [START, ...recording.publishes.map((p) => p.at)];
    const gaps = times.slice(1).map((time, i) => time - times[i]);

    expect(gaps.length).toBeGreaterThanOrEqual(600 / 15);
    expect(gaps.length).toBeLessThanOrEqual(600 / 5);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(5000);
      expect(gap).toBeLessThanOrEqual(15_000);
    }
    // Spread over the whole range, not one fixed delay.
    expect(Math.min(...gaps)).toBeLessThan(7000);
    expect(Math.max(...gaps)).toBeGreaterThan(13_000);
  });

  it('publishes well-formed notifications of every level on `notifications`', async () => {
    const recording = recordingContext();
    feed = new NotificationsFeed({ random: seededRandom(12), minDelayMs: 1000, maxDelayMs: 1000 });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(200_000);
    const notifications = recording.publishes.map((p) => {
      expect(p.channel).toBe('notifications');
      return p.data as NotificationPayload;
    });
    expect(notifications).toHaveLength(200);
    expect(new Set(notifications.map((n) => n.id)).size).toBe(200);
    expect(new Set(notifications.map((n) => n.level))).toEqual(new Set(LEVELS));
    expect(new Set(notifications.map((n) => n.message)).size).toBeGreaterThan(30);
    for (const notification of notifications) {
      expect(notification.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(notification.title.length).toBeGreaterThan(0);
      expect(notification.message.length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(notification.timestamp))).toBe(false);
    }
    expect(notifications[0]?.timestamp).toBe('2025-03-01T08:00:01.000Z');
  });

  it('stops when stopped', async () => {
    const recording = recordingContext();
    feed = new NotificationsFeed({ random: seededRandom(13) });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(60_000);
    feed.stop();
    const count = recording.publishes.length;
    expect(count).toBeGreaterThan(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(recording.publishes).toHaveLength(count);
  });

  it('rejects delays that cannot work', () => {
    expect(() => new NotificationsFeed({ minDelayMs: 0 })).toThrow(/minDelayMs/);
    expect(() => new NotificationsFeed({ minDelayMs: 10, maxDelayMs: 5 })).toThrow(/maxDelayMs/);
  });
});
