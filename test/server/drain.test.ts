/**
 * Draining (what SIGTERM does): /healthz turns 503 at once so balancers take the node out, new
 * WebSockets get an HTTP 503 a balancer can retry elsewhere, existing clients keep receiving until
 * the drain ends and are then closed with 1012 spread over a window. And the node's id, which
 * connection frames, /healthz and /metrics all report.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { hostname } from 'node:os';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../../src/protocol/codes.ts';
import { scrapeMetric } from '../helpers/scrape-metric.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The status and headers an upgrade request gets: 101, or the HTTP refusal `ws` reports. */
function upgradeAnswer(url: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('upgrade', (response) => {
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
      ws.terminate();
    });
    ws.once('unexpected-response', (_request, response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    });
    ws.once('error', reject);
  });
}

it('drains: /healthz 503 and upgrades refused at once, clients served until closed with 1012, spread out', async () => {
  server = await startTestServer({ drainMs: 600, drainSpreadMs: 400 });
  const clients = await Promise.all([1, 2, 3, 4].map(() => WsTestClient.connect(server!.wsUrl)));
  for (const client of clients) await client.request({ type: 'subscribe', id: 's', channel: 'echo' });
  const closedAt: number[] = [];
  for (const client of clients) void client.closed.then(() => closedAt.push(performance.now()));
  expect((await upgradeAnswer(server.wsUrl)).status).toBe(101);

  const started = performance.now();
  const drained = server.drain();
  const health = await fetch(`${server.httpUrl}/healthz`);
  expect(health.status).toBe(503);
  expect(health.headers.get('connection')).toBe('close');
  expect(await health.json()).toMatchObject({ status: 'draining', draining: true, connections: 4 });
  expect(await scrapeMetric(server.httpUrl, 'trendstream_draining')).toBe(1);
  const refused = await upgradeAnswer(server.wsUrl);
  expect(refused.status).toBe(503);
  expect(refused.headers['retry-after']).toBe('1');

  // Still served while draining: a publication reaches every client.
  await server.hub.publish('echo', 'while draining');
  for (const client of clients) expect((await client.next('publication')).data).toBe('while draining');
  expect(closedAt).toEqual([]);

  await drained;
  for (const client of clients) expect(await client.closed).toBe(CloseCode.ServiceRestart);
  const first = Math.min(...closedAt);
  const last = Math.max(...closedAt);
  expect(first - started).toBeGreaterThanOrEqual(550);
  // Four clients over a 400 ms window: the last closes about 300 ms after the first, not in one tick.
  expect(last - first).toBeGreaterThanOrEqual(200);
});

it('close() during a drain cuts the wait short', async () => {
  server = await startTestServer({ drainMs: 30_000 });
  const client = await WsTestClient.connect(server.wsUrl);
  const drained = server.drain();
  await waitFor('draining', async () => (await fetch(`${server!.httpUrl}/healthz`)).status === 503);
  const started = performance.now();
  await server.close();
  await drained;
  expect(await client.closed).toBe(CloseCode.ServiceRestart);
  expect(performance.now() - started).toBeLessThan(3000);
});

it('names the node in connection frames, /healthz and /metrics: <hostname>:<port>, or nodeId', async () => {
  server = await startTestServer();
  const expected = `${hostname()}:${server.port}`;
  const client = await WsTestClient.connect(server.wsUrl);
  expect(client.frames.find((f) => f.type === 'connection')).toMatchObject({ node: expected });
  expect(await (await fetch(`${server.httpUrl}/healthz`)).json()).toMatchObject({
    status: 'ok',
    node: expected,
  });
  const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
  expect(metrics).toMatch(
    new RegExp(`^trendstream_node_info\\{node="${expected}",version="\\d+\\.\\d+\\.\\d+[^"]*"\\} 1$`, 'm'),
  );
  expect(metrics).toMatch(/^trendstream_draining 0$/m);
  client.close();
  await server.close();

  server = await startTestServer({ nodeId: 'edge-7' });
  const named = await WsTestClient.connect(server.wsUrl);
  expect(named.frames.find((f) => f.type === 'connection')).toMatchObject({ node: 'edge-7' });
  expect(await (await fetch(`${server.httpUrl}/healthz`)).json()).toMatchObject({ node: 'edge-7' });
  named.close();
});
