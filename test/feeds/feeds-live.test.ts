/**
 * The feeds running inside a real hub: a real server on port 0 and a real WebSocket client that
 * subscribes to the feed channels and reads snapshots and publications off the wire.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsFeed } from '../../src/feeds/metrics-feed.ts';
import { NotificationsFeed } from '../../src/feeds/notifications-feed.ts';
import type {
  ActivityPayload,
  MetricsPayload,
  NotificationPayload,
  StocksPayload,
  TrendsPayload,
} from '../../src/protocol/payloads.ts';
import { TrendsFeed } from '../../src/feeds/trends-feed.ts';
import type { ServerFrame } from '../../src/protocol/frames.ts';
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

/** The data of the next publication on `channel` (whose data passes `accept`, if given). */
async function nextData<T>(
  client: WsTestClient,
  channel: string,
  accept: (data: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  const frame = await client.nextPublication((p) => p.channel === channel && accept(p.data as T), timeoutMs);
  return frame.data as T;
}

function subscribedSnapshot(frame: ServerFrame): unknown {
  if (frame.type !== 'subscribed') throw new Error(`expected subscribed, got ${JSON.stringify(frame)}`);
  return frame.snapshot;
}

describe('feeds in a running hub', () => {
  let server: RunningServer | undefined;
  let client: WsTestClient | undefined;

  afterEach(async () => {
    client?.close();
    await server?.close();
    client = undefined;
    server = undefined;
  });

  it('serves trends per category (snapshot, then ticks) and stocks, switched on by config', async () => {
    server = await startTestServer({
      feeds: { ...NO_FEEDS, trends: true, stocks: true },
      trendIntervalMs: 200,
    });
    client = await WsTestClient.connect(server.wsUrl);

    const snapshot = subscribedSnapshot(
      await client.request({ type: 'subscribe', id: 'm', channel: 'trends:music' }),
    ) as TrendsPayload;
    expect(snapshot.topics.length).toBeGreaterThan(0);
    expect(snapshot.topics.every((t) => t.category === 'music')).toBe(true);

    const payload = await nextData<TrendsPayload>(client, 'trends:music');
    expect(payload.tick).toBeGreaterThan(snapshot.tick);
    expect(payload.topics.every((t) => t.category === 'music' && t.name.startsWith('#'))).toBe(true);

    // Stocks is a latest-value channel: the quotes published at start arrive as the snapshot.
    const stocks = await client.request({ type: 'subscribe', id: 's', channel: 'stocks' });
    const quotes = ((stocks as Extract<ServerFrame, { type: 'subscribed' }>).snapshot as StocksPayload)
      .quotes;
    expect(quotes.length).toBeGreaterThan(5);
    expect(quotes.every((q) => q.price > 0 && q.low <= q.price && q.price <= q.high)).toBe(true);
  });

  it('delivers hot-trend alerts on events, real metrics and notifications', async () => {
    const feedList = [
      new TrendsFeed({ intervalMs: 300, surgeProbability: 1, maxAlertsPerTick: 2 }),
      new MetricsFeed(),
      new NotificationsFeed({ minDelayMs: 100, maxDelayMs: 200 }),
    ];
    server = await startTestServer({ feedList });
    client = await WsTestClient.connect(server.wsUrl);
    // The feeds start with the server, so the first surge can come before we subscribe: resume
    // `events` from its beginning (seq 0) to see every alert, replayed from history or live.
    const { epoch } = await server.engine.broker.snapshot('events');
    await client.request({ type: 'subscribe', id: 'events', channel: 'events', since: { epoch, seq: 0 } });
    for (const channel of ['metrics', 'notifications']) {
      await client.request({ type: 'subscribe', id: channel, channel });
    }

    const alert = await nextData<ActivityPayload>(client, 'events', (entry) => entry.kind === 'hot_trend');
    expect(alert).toMatchObject({ level: 'warn', kind: 'hot_trend' });
    expect(alert.message).toMatch(/^#\S+ is surging in /);

    const metrics = await nextData<MetricsPayload>(client, 'metrics');
    expect(metrics.cpu).toBeGreaterThanOrEqual(0);
    expect(metrics.memory).toBeGreaterThan(0);
    expect(metrics.network_recv).toBeGreaterThan(0);
    expect(metrics.connections).toBe(1);
    expect(typeof metrics.data).toBe('number');

    const notification = await nextData<NotificationPayload>(client, 'notifications');
    expect(typeof notification.id).toBe('string');
    expect(['info', 'success', 'warn', 'error']).toContain(notification.level);
    expect(notification.message.length).toBeGreaterThan(0);
  });
});
