/**
 * The connection state machine against a real hub: reconnecting after a graceful restart (1012) soon
 * (100–600 ms, then the backoff capped at 5 s), stopping on a terminal close code, fetching a fresh token
 * after 4501, the offline publish queue, a ping that gets no pong (half-open connection), the browser's
 * online/offline events and a tab becoming visible, `reconnectNow()`, and `lastServerClose` kept across
 * failed retries.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PublicationFrame, StatusEvent } from '../../src/client/types.ts';
import { mintToken } from '../../src/server/identity.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { ClientPool, sleep, waitFor } from './sdk-test-kit.ts';

const pool = new ClientPool();
let server: RunningServer | undefined;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  pool.closeAll();
  vi.restoreAllMocks();
  delete (globalThis as { window?: unknown }).window;
  delete (globalThis as { document?: unknown }).document;
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

function states(statuses: StatusEvent[]): string[] {
  return statuses.map((s) => s.state);
}

describe('reconnect', () => {
  it('reconnects by itself after a graceful shutdown (1012) to a new server on the same port', async () => {
    server = await startTestServer();
    const port = server.port;
    const { client, statuses } = await pool.connected(server.wsUrl, { baseDelayMs: 50, maxDelayMs: 400 });
    const firstId = client.clientId;
    await server.close();
    await waitFor(() => client.state === 'reconnecting', 'the client to notice the shutdown');
    server = await startTestServer({ port });
    await waitFor(() => client.state === 'connected', 'the client to reconnect', 5000);

    const reconnecting = statuses.filter((s) => s.state === 'reconnecting');
    expect(reconnecting[0]).toMatchObject({ previous: 'connected', code: 1012, attempt: 1 });
    // The hub said it is restarting: the first retry comes after 100–600 ms, not the backoff's ladder.
    expect(reconnecting[0].delayMs).toBeGreaterThanOrEqual(100);
    expect(reconnecting[0].delayMs).toBeLessThan(600);
    reconnecting.slice(1).forEach((s, index) => {
      const i = index + 1;
      expect(s.attempt).toBe(i + 1);
      expect(s.delayMs).toBeGreaterThanOrEqual(0);
      expect(s.delayMs).toBeLessThan(Math.min(400, 50 * 2 ** i));
    });
    expect(statuses.at(-1)).toMatchObject({ state: 'connected', previous: 'reconnecting' });
    expect(client.clientId).not.toBe(firstId);
  });

  it('is live again within 2 s of a restarted hub listening, with the default backoff', async () => {
    server = await startTestServer();
    const port = server.port;
    const defaults = { baseDelayMs: undefined, maxDelayMs: undefined };
    const { client, statuses } = await pool.connected(server.wsUrl, defaults);
    const subscribedAt: number[] = [];
    client.subscribe('echo', { onSubscribed: () => subscribedAt.push(Date.now()) });
    await waitFor(() => subscribedAt.length === 1, 'the subscription');
    await server.close();
    server = await startTestServer({ port });
    const listening = Date.now();
    await waitFor(() => subscribedAt.length === 2, 'the client to resubscribe', 5000);
    expect(subscribedAt[1] - listening).toBeLessThan(2000);
    expect(statuses.find((s) => s.state === 'reconnecting')).toMatchObject({ code: 1012, attempt: 1 });
  });

  it('is live again within the 5 s cap after a 5 s outage, and keeps the 1012 over the failed retries', async () => {
    server = await startTestServer();
    const port = server.port;
    const defaults = { baseDelayMs: undefined, maxDelayMs: undefined };
    const { client, statuses } = await pool.connected(server.wsUrl, defaults);
    await server.close();
    await sleep(5000);
    const failed = statuses.filter((s) => s.state === 'reconnecting' && s.code === 1006);
    expect(failed.length).toBeGreaterThanOrEqual(2); // retries kept failing while the hub was away
    expect(statuses.every((s) => (s.delayMs ?? 0) < 5000)).toBe(true);
    expect(client.lastServerClose).toEqual({ code: 1012, reason: 'server restarting' });
    server = await startTestServer({ port });
    const listening = Date.now();
    await waitFor(() => client.state === 'connected', 'the reconnection', 8000);
    expect(Date.now() - listening).toBeLessThan(5500);
    expect(client.lastServerClose).toEqual({ code: 1012, reason: 'server restarting' });
  });

  it('retries at once on reconnectNow(), and does nothing while connected', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999); // the longest backoff, so only reconnectNow explains a quick retry
    server = await startTestServer();
    proxy = await startTcpProxy({ targetPort: server.port });
    const { client, statuses } = await pool.connected(proxy.wsUrl('/ws'), {
      baseDelayMs: 30_000,
      maxDelayMs: 30_000,
    });
    client.reconnectNow();
    await sleep(100);
    expect(client.state).toBe('connected');
    expect(proxy.acceptedCount).toBe(1);

    proxy.refuseNew(true);
    proxy.dropAll();
    await waitFor(() => client.state === 'reconnecting', 'the drop');
    expect(statuses.at(-1)?.delayMs).toBeGreaterThan(29_000);
    expect(client.lastServerClose).toBeUndefined(); // the network dropped it, the hub sent no close
    proxy.refuseNew(false);
    const started = Date.now();
    client.reconnectNow();
    await waitFor(() => client.state === 'connected', 'the retry', 3000);
    expect(Date.now() - started).toBeLessThan(3000);

    client.disconnect();
    client.reconnectNow(); // after disconnect(): the same as connect()
    await waitFor(() => client.state === 'connected', 'the connection after disconnect', 3000);
  });

  it('stops reconnecting after a terminal close code and rejects the queued publishes', async () => {
    server = await startTestServer({ jwtSecret: 'test-secret' });
    const { client, statuses } = pool.create(server.wsUrl, { token: 'not-a-jwt' });
    const queued = client.publish('echo', { lost: true }).catch((error: unknown) => error);
    await waitFor(() => statuses.some((s) => s.state === 'disconnected'), 'the refusal');
    expect(await queued).toMatchObject({ code: 'disconnected' });
    await sleep(300); // several backoff periods: nothing may happen
    expect(states(statuses)).toEqual(['connecting', 'disconnected']);
    expect(statuses.at(-1)).toMatchObject({ code: 4500, previous: 'connecting' });
    expect(client.state).toBe('disconnected');
  });

  it('reconnects with a fresh token after the server closes with 4501 (token expired)', async () => {
    const secret = 'test-secret';
    server = await startTestServer({ jwtSecret: secret });
    const tokens: string[] = [];
    const { client, statuses } = pool.create(server.wsUrl, {
      token: async () => {
        const token = await mintToken(secret, { sub: 'u1', name: 'Ursula', ttlSeconds: 1 });
        tokens.push(token);
        return token;
      },
    });
    await waitFor(() => client.state === 'connected', 'the first connection');
    await waitFor(() => statuses.some((s) => s.code === 4501), 'the expiry', 4000);
    await waitFor(() => client.state === 'connected', 'the reconnection');
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(statuses.find((s) => s.code === 4501)?.state).toBe('reconnecting');
  });

  it('queues publishes made while offline and flushes them in order after resubscribing', async () => {
    server = await startTestServer();
    proxy = await startTcpProxy({ targetPort: server.port });
    const { client } = await pool.connected(proxy.wsUrl('/ws'), { maxQueuedPublishes: 5 });
    const mine: PublicationFrame[] = [];
    client.subscribe('echo', { onPublication: (p) => mine.push(p) });
    const { client: observer } = await pool.connected(server.wsUrl);
    const observed: unknown[] = [];
    await new Promise<void>((resolve) => {
      observer.subscribe('echo', {
        onSubscribed: () => resolve(),
        onPublication: (p) => observed.push(p.data),
      });
    });

    proxy.refuseNew(true);
    proxy.dropAll();
    await waitFor(() => client.state === 'reconnecting', 'the client to lose its connection');
    const pending = [1, 2, 3, 4, 5].map((n) => client.publish('echo', { n }));
    await expect(client.publish('echo', { n: 6 })).rejects.toMatchObject({ code: 'queue_full' });
    await sleep(100);
    expect(observed).toEqual([]); // nothing leaks out while offline

    proxy.refuseNew(false);
    const acks = await Promise.all(pending);
    const seqs = acks.map((ack) => ack.seq!);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await waitFor(() => observed.length === 5, 'the observer to get the flushed publishes');
    expect(observed).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
    // Resubscribed before flushing: the client receives its own queued publications too.
    await waitFor(() => mine.length === 5, 'the client to see its own publications');
    expect(mine.map((p) => p.seq)).toEqual(seqs);
  });

  it('drops a connection whose pings go unanswered and reconnects once the network is back', async () => {
    server = await startTestServer();
    proxy = await startTcpProxy({ targetPort: server.port });
    const { client, statuses } = await pool.connected(proxy.wsUrl('/ws'), {
      pingIntervalMs: 100,
      requestTimeoutMs: 300,
    });
    const latencies: number[] = [];
    client.on('latency', (ms) => latencies.push(ms));
    await waitFor(() => latencies.length >= 1, 'a keepalive ping');
    proxy.pause();
    await waitFor(() => statuses.some((s) => s.reason === 'ping timeout'), 'the ping timeout', 3000);
    expect(statuses.find((s) => s.reason === 'ping timeout')?.state).toBe('reconnecting');
    proxy.dropAll();
    proxy.resume();
    await waitFor(() => client.state === 'connected', 'the reconnection', 5000);
  });

  it('drops the connection when the browser goes offline and retries at once when it is back online', async () => {
    const fakeWindow = new EventTarget();
    (globalThis as { window?: unknown }).window = fakeWindow;
    vi.spyOn(Math, 'random').mockReturnValue(0.999); // the longest backoff, so only `online` explains a quick retry
    server = await startTestServer();
    proxy = await startTcpProxy({ targetPort: server.port });
    const { client, statuses } = await pool.connected(proxy.wsUrl('/ws'), {
      baseDelayMs: 30_000,
      maxDelayMs: 30_000,
    });

    fakeWindow.dispatchEvent(new Event('offline'));
    expect(client.state).toBe('reconnecting');
    expect(statuses.at(-1)).toMatchObject({ reason: 'browser offline', attempt: 1 });
    expect(statuses.at(-1)?.delayMs).toBeGreaterThan(29_000);

    const started = Date.now();
    fakeWindow.dispatchEvent(new Event('online'));
    await waitFor(() => client.state === 'connected', 'the reconnection after online', 3000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(proxy.acceptedCount).toBe(2);

    client.disconnect();
    fakeWindow.dispatchEvent(new Event('online'));
    await sleep(50);
    expect(client.state).toBe('disconnected'); // listeners are removed on disconnect
  });

  it('retries at once when the tab becomes visible again', async () => {
    const fakeWindow = new EventTarget();
    const fakeDocument = { visibilityState: 'hidden' };
    Object.assign(globalThis, { window: fakeWindow, document: fakeDocument });
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    server = await startTestServer();
    proxy = await startTcpProxy({ targetPort: server.port });
    const { client } = await pool.connected(proxy.wsUrl('/ws'), { baseDelayMs: 30_000, maxDelayMs: 30_000 });
    proxy.refuseNew(true);
    proxy.dropAll();
    await waitFor(() => client.state === 'reconnecting', 'the drop');
    proxy.refuseNew(false);

    fakeWindow.dispatchEvent(new Event('visibilitychange')); // still hidden: keeps waiting
    await sleep(200);
    expect(client.state).toBe('reconnecting');
    fakeDocument.visibilityState = 'visible';
    fakeWindow.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => client.state === 'connected', 'the retry on visible', 3000);
  });
});
