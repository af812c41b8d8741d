/**
 * One stalled client must not delay the others: it is conflated on latest-value channels and closed
 * with 4000 when it falls too far behind on history channels. The stall is real: the client's socket
 * stops reading, so the kernel buffers fill and the server sees backpressure.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CloseCode } from '../../src/protocol/codes.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';
import type { Socket } from 'node:net';

let server: RunningServer;
const clients: WsTestClient[] = [];

async function connect(): Promise<WsTestClient> {
  const client = await WsTestClient.connect(server.wsUrl);
  clients.push(client);
  return client;
}

function stall(client: WsTestClient): void {
  (client.ws as unknown as { _socket: Socket })._socket.pause();
}

beforeEach(async () => {
  server = await startTestServer({ socketHighWaterBytes: 16 * 1024, maxQueuedBytes: 512 * 1024 });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await server.close();
});

const payload = 'x'.repeat(8 * 1024);

it('closes a stalled client on a history channel with 4000 while healthy clients get everything', async () => {
  const healthy = await Promise.all([connect(), connect(), connect()]);
  const stalled = await connect();
  for (const c of [...healthy, stalled]) await c.request({ type: 'subscribe', id: 's', channel: 'events' });
  stall(stalled);
  const total = 1500; // ~12 MB: more than the kernel buffers plus the 512 KiB queue
  for (let i = 1; i <= total; i += 1) {
    await server.hub.publish('events', { i, payload });
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  for (const c of healthy) {
    await c.nextPublication((p) => p.seq === total, 10_000);
    expect(c.publications('events').map((p) => p.seq)).toEqual(
      Array.from({ length: total }, (_, i) => i + 1),
    );
  }
  const closes = await server.metrics.registry.getSingleMetricAsString('trendstream_server_closes_total');
  expect(closes).toContain(`code="${CloseCode.SlowConsumer}"} 1`);
});

it('conflates a stalled client on a latest-value channel to the newest state', async () => {
  const healthy = await connect();
  const stalled = await connect();
  for (const c of [healthy, stalled]) await c.request({ type: 'subscribe', id: 's', channel: 'metrics' });
  stall(stalled);
  const total = 1500;
  for (let i = 1; i <= total; i += 1) {
    await server.hub.publish('metrics', { i, payload });
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  await healthy.nextPublication((p) => p.seq === total, 10_000);
  expect(healthy.publications('metrics')).toHaveLength(total);
  // Resume reading: the stalled client receives a backlog then the newest state, with gaps, never closed.
  (stalled.ws as unknown as { _socket: Socket })._socket.resume();
  const last = await stalled.nextPublication((p) => p.seq === total, 10_000);
  expect((last.data as { i: number }).i).toBe(total);
  const received = stalled.publications('metrics').length;
  expect(received).toBeLessThan(total);
  expect(stalled.closeCode).toBeUndefined();
  const conflated = await server.metrics.registry.getSingleMetricAsString('trendstream_conflated_total');
  expect(Number(conflated.trim().split(' ').at(-1))).toBeGreaterThan(0);
});
