/**
 * Recovery across lost connections, against a real hub:
 * - the subscriber's connection is cut (through a TCP proxy) while another client publishes
 *   continuously; it must see every seq exactly once, in order;
 * - the memory server restarts (history gone, new epoch); the subscription resyncs from the snapshot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SubscribedInfo } from '../../src/client/types.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { ClientPool, sleep, waitFor } from './sdk-test-kit.ts';

const pool = new ClientPool();
let server: RunningServer | undefined;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  pool.closeAll();
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

/** Rate limits out of the way: the publisher sends hundreds of frames in a few seconds. */
const FAST = { rateLimitPerSecond: 100_000, rateLimitBurst: 100_000 };

describe('resume after a lost connection', () => {
  it('delivers every publication exactly once and in order across dropped connections', async () => {
    server = await startTestServer(FAST);
    proxy = await startTcpProxy({ targetPort: server.port });
    const { client: subscriber, statuses } = await pool.connected(proxy.wsUrl('/ws'));
    const seen: number[] = [];
    const resubscribed: SubscribedInfo[] = [];
    await new Promise<void>((resolve) => {
      subscriber.subscribe('echo', {
        onPublication: (p) => seen.push(p.seq),
        onSubscribed: (info) => (info.first ? resolve() : resubscribed.push(info)),
      });
    });
    const { client: publisher } = await pool.connected(server.wsUrl);

    const published: number[] = [];
    const drops = [60, 120, 180];
    for (let i = 0; i < 240; i += 1) {
      const ack = await publisher.publish('echo', { i });
      published.push(ack.seq!);
      if (drops.includes(i)) proxy.dropAll();
      await sleep(2);
    }
    await waitFor(() => seen.length >= published.length, 'the subscriber to catch up', 10_000);

    expect(seen).toEqual(published);
    // It really lost its connection each time, and resumed rather than resynced.
    expect(statuses.filter((s) => s.state === 'reconnecting').length).toBeGreaterThanOrEqual(drops.length);
    expect(resubscribed.length).toBe(drops.length);
    expect(resubscribed.every((info) => info.recovered && !info.first)).toBe(true);
    expect(proxy.acceptedCount).toBe(drops.length + 1);
  });

  it('hands the snapshot to onSubscribed when the restarted memory server lost the history', async () => {
    server = await startTestServer();
    const port = server.port;
    const { client } = await pool.connected(server.wsUrl);
    const infos: SubscribedInfo[] = [];
    const values: unknown[] = [];
    client.subscribe('counter:restart', {
      onSubscribed: (info) => infos.push(info),
      onPublication: (p) => values.push(p.data),
    });
    await waitFor(() => infos.length === 1, 'the first subscription');
    for (let i = 0; i < 3; i += 1) await client.publish('counter:restart', { op: 'increment' });
    await waitFor(() => values.length === 3, 'three counter updates');
    const before = infos[0];

    await server.close();
    server = await startTestServer({ port });
    await client.publish('counter:restart', { op: 'increment' }); // queued until the resubscription
    await waitFor(() => infos.length === 2, 'the resubscription', 5000);

    const after = infos[1];
    expect(after).toMatchObject({ channel: 'counter:restart', recovered: false, first: false, latest: true });
    expect(after.epoch).not.toBe(before.epoch);
    // The new server's state, read before the queued increment was flushed: a fresh counter.
    expect(after.snapshot).toEqual({ value: 0 });
    await waitFor(() => values.length === 4, 'the queued increment to come back');
    expect(values.at(-1)).toEqual({ value: 1 });
  });
});
