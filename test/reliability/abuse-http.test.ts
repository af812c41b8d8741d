/**
 * Abuse over HTTP on the hub's one port: slow-loris connections (silent, stalled half-way through the
 * headers, the body or a WebSocket upgrade) are closed after `httpTimeoutMs`, a client that pipelines
 * thousands of requests and never reads its responses costs bounded memory, and an oversize body is
 * refused with 413. Meanwhile /healthz answers and a WebSocket bystander gets every publication.
 */
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/codes.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';
import { Bystander } from './bystander.ts';
import { settledMemory } from './heap-probe.ts';

const HTTP_TIMEOUT_MS = 500;
let server: RunningServer;
let bystander: Bystander;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  server = await startTestServer({ httpTimeoutMs: HTTP_TIMEOUT_MS, apiKey: 'k3y' });
  bystander = await Bystander.join(server);
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  bystander.close();
  await server.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw TCP connection that sends `opening` and then nothing; resolves its close time. */
function loris(opening: string): { socket: net.Socket; closedAfterMs: Promise<number> } {
  const started = Date.now();
  const socket = net.connect(server.port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  if (opening !== '') socket.write(opening);
  const closedAfterMs = new Promise<number>((resolve) =>
    socket.once('close', () => resolve(Date.now() - started)),
  );
  return { socket, closedAfterMs };
}

async function healthzMs(): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${server.httpUrl}/healthz`);
  expect(response.status).toBe(200);
  return performance.now() - started;
}

it('closes 200 slow-loris connections after the HTTP timeout while others are served', async () => {
  const openings = [
    '',
    'GET /healthz HTTP/1.1\r\nHost: x\r\n',
    'POST /api/publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"chan',
    'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Ver',
  ];
  bystander.start();
  const lorises = Array.from({ length: 200 }, (_, i) => loris(openings[i % openings.length]));
  const served: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    served.push(await healthzMs());
    await sleep(50);
  }
  const closedAfter = await Promise.race([
    Promise.all(lorises.map((l) => l.closedAfterMs)),
    sleep(10_000).then(() => [] as number[]),
  ]);
  const report = await bystander.stop();
  console.info(
    `[abuse http] 200 lorises closed after ${Math.min(...closedAfter)}–${Math.max(...closedAfter)} ms ` +
      `(timeout ${HTTP_TIMEOUT_MS}); healthz meanwhile ≤ ${Math.round(Math.max(...served))} ms; ` +
      `bystander ${JSON.stringify(report)}`,
  );
  expect(closedAfter).toHaveLength(200);
  expect(Math.min(...closedAfter)).toBeGreaterThanOrEqual(HTTP_TIMEOUT_MS - 50);
  expect(Math.max(...served)).toBeLessThan(1000);
  expect(report.closeCode).toBeUndefined();
  expect(report.received).toBe(report.beats);
});

it('leaves an idle WebSocket alone: the HTTP timeout ends at the upgrade', async () => {
  const idle = await WsTestClient.connect(server.wsUrl);
  await sleep(HTTP_TIMEOUT_MS * 3);
  expect(await idle.request({ type: 'ping', id: 'still-here' })).toEqual({ type: 'pong', id: 'still-here' });
  idle.close();
});

it('keeps memory bounded for a client that pipelines requests and never reads', async () => {
  const payload = 'y'.repeat(1000);
  for (let i = 0; i < 200; i += 1) await server.hub.publish('events', { i, payload }); // ~200 KB per reply
  const before = await settledMemory();
  const socket = net.connect(server.port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.pause(); // never reads a byte
  const request = 'GET /api/history?channel=events&limit=1000 HTTP/1.1\r\nHost: x\r\n\r\n';
  // 2 000 requests would be ~400 MB of replies if the server rendered them all.
  for (let i = 0; i < 2000; i += 1) socket.write(request);
  await sleep(1000);
  const during = await settledMemory();
  const health = await healthzMs();
  socket.destroy();
  console.info(
    `[abuse http] pipelining reader that never reads: heap ${before.heapUsedMb} → ${during.heapUsedMb} MB, ` +
      `healthz ${Math.round(health)} ms`,
  );
  expect(during.heapUsedMb - before.heapUsedMb).toBeLessThan(32);
  expect(health).toBeLessThan(1000);
});

it('still answers modest pipelining (10 requests in one packet) in order', async () => {
  const socket = net.connect(server.port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(10));
  const deadline = Date.now() + 3000;
  while ((received.match(/HTTP\/1\.1 200/g) ?? []).length < 10 && Date.now() < deadline) await sleep(10);
  expect((received.match(/HTTP\/1\.1 200/g) ?? []).length).toBe(10);
  socket.destroy();
});

it('refuses an oversize body with 413 and too_large', async () => {
  const response = await fetch(`${server.httpUrl}/api/publish`, {
    method: 'POST',
    headers: { authorization: 'Bearer k3y', 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'notifications', data: 'z'.repeat(server.config.maxFrameBytes) }),
  });
  expect(response.status).toBe(413);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe(ErrorCode.TooLarge);
  expect(await healthzMs()).toBeLessThan(1000);
});
