/**
 * The SDK's calls that reach the application's backend, against a real hub and a real backend:
 * `rpc` (result, refusal with the backend's code, a backend that is down, no RPC proxy, timeout,
 * queued while offline), `subscribe` with `data` for the subscribe proxy, and the reconnect policy
 * when the connect proxy cannot be asked (1013).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerError } from '../../src/client/types.ts';
import { startTestBackend, type TestBackend } from '../helpers/backend-server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { ClientPool, newWireLog, recordingWebSocket, waitFor } from './sdk-test-kit.ts';

const pool = new ClientPool();
let backend: TestBackend | undefined;
let server: RunningServer | undefined;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  pool.closeAll();
  await proxy?.close();
  await server?.close();
  await backend?.stop();
  proxy = undefined;
  server = undefined;
  backend = undefined;
});

async function startWithBackend(): Promise<{ backend: TestBackend; server: RunningServer }> {
  backend = await startTestBackend();
  backend.on('/rpc', ({ body }) => {
    const { method, data, user } = body as { method: string; data?: unknown; user: string };
    if (method === 'save') return { json: { result: { data: { saved: data, user } } } };
    if (method === 'slow') return { delayMs: 300, json: { result: {} } };
    return { json: { error: { code: 404, message: `no method ${method}` } } };
  });
  server = await startTestServer({
    rpcProxyUrl: backend.url('/rpc'),
    subscribeProxyUrl: backend.url('/subscribe'),
    namespaces: { orders: { history_size: 10, subscribe_proxy: true } },
  });
  return { backend, server };
}

async function rejection(promise: Promise<unknown>): Promise<ServerError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as ServerError,
  );
}

describe('rpc', () => {
  it('resolves with the backend result and rejects refusals with code refused and the backend code', async () => {
    const { server } = await startWithBackend();
    const { client } = await pool.connected(server.wsUrl, { name: 'ada' });

    await expect(client.rpc('save', { title: 'draft' })).resolves.toEqual({
      saved: { title: 'draft' },
      user: '',
    });
    const refused = await rejection(client.rpc('delete', { id: 1 }));
    expect(refused).toMatchObject({ name: 'TrendStreamError', code: 'refused', backendCode: 404 });
    expect(refused.message).toBe('no method delete');
    const [call] = backend!.calls('/rpc');
    expect(call?.body).toMatchObject({ method: 'save', data: { title: 'draft' }, client: client.clientId });
  });

  it('rejects with unavailable when the backend is down, and timeout after timeoutMs', async () => {
    const { server } = await startWithBackend();
    const { client } = await pool.connected(server.wsUrl);

    const slow = await rejection(client.rpc('slow', undefined, { timeoutMs: 50 }));
    expect(slow.code).toBe('timeout');
    await backend!.stop();
    const down = await rejection(client.rpc('save', {}));
    expect(down.code).toBe('unavailable');
    expect(down.backendCode).toBeUndefined();
  });

  it('rejects with not_found when the hub has no RPC proxy', async () => {
    server = await startTestServer();
    const { client } = await pool.connected(server.wsUrl);
    const error = await rejection(client.rpc('save', { x: 1 }));
    expect(error.code).toBe('not_found');
  });

  it('queues calls made while offline, like publishes, and sends them in order once connected', async () => {
    const { server } = await startWithBackend();
    const wire = newWireLog();
    const { client } = pool.create(server.wsUrl, { autoConnect: false, WebSocket: recordingWebSocket(wire) });
    const calls = [client.rpc('save', 1), client.publish('echo', { n: 2 }), client.rpc('save', 3)];
    client.connect();
    const [first, , third] = await Promise.all(calls);
    expect([first, third]).toEqual([
      { saved: 1, user: '' },
      { saved: 3, user: '' },
    ]);
    // Replies may come in any order (the backend is slower than the hub); the frames went out in order.
    expect(wire.sent.filter((f) => f.type !== 'ping').map((f) => [f.type, f.data])).toEqual([
      ['rpc', 1],
      ['publish', { n: 2 }],
      ['rpc', 3],
    ]);
  });
});

describe('subscribe data', () => {
  it('goes to the subscribe proxy on every subscribe, resubscribes included; refusals carry the backend code', async () => {
    const { server } = await startWithBackend();
    backend!.on('/subscribe', ({ body }) => {
      const { data } = body as { data?: { key?: string } };
      return data?.key === 'open'
        ? { json: { result: {} } }
        : { json: { error: { code: 'wrong_key', message: 'that key does not open it' } } };
    });
    proxy = await startTcpProxy({ targetPort: server.port });
    const { client } = await pool.connected(proxy.wsUrl('/ws'));

    let subscribed = 0;
    client.subscribe('orders:1', { data: { key: 'open' }, onSubscribed: () => (subscribed += 1) });
    const refusals: ServerError[] = [];
    client.subscribe('orders:2', { data: { key: 'nope' }, onError: (error) => refusals.push(error) });
    await waitFor(() => subscribed === 1 && refusals.length === 1, 'one subscription and one refusal');
    expect(refusals[0]).toMatchObject({ code: 'refused', backendCode: 'wrong_key' });

    proxy.dropAll();
    await waitFor(() => subscribed === 2, 'the resubscription');
    const asked = backend!.calls('/subscribe').map((call) => call.body as Record<string, unknown>);
    expect(asked.filter((body) => body.channel === 'orders:1').map((body) => body.data)).toEqual([
      { key: 'open' },
      { key: 'open' },
    ]);
    // The refused subscription is over: it was not asked again after the reconnect.
    expect(asked.filter((body) => body.channel === 'orders:2')).toHaveLength(1);
  });
});

describe('reconnect policy for the backend', () => {
  it('backs off while the connect proxy cannot be asked (1013), then connects once it is back', async () => {
    backend = await startTestBackend();
    backend.on('/connect', () => ({ json: { result: { user: '7' } } }));
    server = await startTestServer({ connectProxyUrl: backend.url('/connect'), insecureAnyOrigin: true });
    await backend.stop();
    const { client, statuses } = pool.create(server.wsUrl, { baseDelayMs: 20, maxDelayMs: 2000 });
    await waitFor(
      () => statuses.filter((s) => s.state === 'reconnecting').length >= 4,
      'several refused attempts',
    );
    await backend.start();
    await waitFor(() => client.state === 'connected', 'the connection once the backend is back', 5000);

    const refused = statuses.filter((s) => s.state === 'reconnecting');
    expect(refused.every((s) => s.code === 1013)).toBe(true);
    refused.forEach((s, i) => {
      expect(s.attempt).toBe(i + 1);
      expect(s.delayMs).toBeLessThan(Math.min(2000, 20 * 2 ** i));
    });
    expect(statuses.some((s) => s.state === 'disconnected')).toBe(false);
  });
});
