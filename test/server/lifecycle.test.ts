/** Heartbeats, graceful shutdown, /healthz and /metrics. */
import type { Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { CloseCode } from '../../src/protocol/codes.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('reaps a connection that stops answering pings, and keeps one that answers', async () => {
  server = await startTestServer({ heartbeatMs: 100 });
  const silent = await WsTestClient.connect(server.wsUrl);
  const lively = await WsTestClient.connect(server.wsUrl);
  // A paused socket reads nothing, so it never sees the pings and never pongs.
  (silent.ws as unknown as { _socket: Socket })._socket.pause();
  await new Promise((r) => setTimeout(r, 450));
  expect(server.hub.connectionCount).toBe(1);
  expect(await lively.request({ type: 'ping', id: 'still' })).toEqual({ type: 'pong', id: 'still' });
  lively.close();
  silent.ws.terminate();
});

it('closes every connection with 1012 on shutdown', async () => {
  server = await startTestServer();
  const clients = await Promise.all([1, 2, 3].map(() => WsTestClient.connect(server!.wsUrl)));
  await server.close();
  for (const c of clients) expect(await c.closed).toBe(CloseCode.ServiceRestart);
});

it('reports health and Prometheus metrics', async () => {
  server = await startTestServer();
  const client = await WsTestClient.connect(server.wsUrl);
  await client.request({ type: 'subscribe', id: 's', channel: 'echo' });
  await client.request({ type: 'publish', id: 'p', channel: 'echo', data: 1 });
  await client.next('publication');
  const health = await fetch(`${server.httpUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', engine: 'memory', connections: 1 });
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  expect(text).toMatch(/^trendstream_connections 1$/m);
  expect(text).toMatch(/^trendstream_publications_total 1$/m);
  expect(text).toMatch(/^trendstream_messages_out_total [1-9]/m);
  expect(text).toMatch(/^trendstream_messages_in_total 2$/m);
  client.close();
});
