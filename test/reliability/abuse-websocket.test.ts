/**
 * Abuse over WebSocket: a subscribe/unsubscribe flood, a client opening connections in a loop and in
 * a burst, clients that never read, and a slow loris that stalls half-way through a frame. In each
 * case the limits are enforced (rate limit 4001, connection cap 503, slow consumer 4000, heartbeat
 * reaping), the hub's state and memory return to where they were, and a bystander keeps getting every
 * heartbeat publication without delay.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../../src/protocol/codes.ts';
import type { ServerFrame } from '../../src/protocol/frames.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';
import { Bystander, type BystanderReport } from './bystander.ts';
import { settledMemory } from './heap-probe.ts';
import { clientFrame, openRawWebSocket, type RawWsSocket } from './raw-ws-socket.ts';

let server: RunningServer;
let bystander: Bystander;
/** Everything a test opened, closed after it whatever happened. */
const opened: { close(): void }[] = [];

function track<T extends { close(): void }>(thing: T): T {
  opened.push(thing);
  return thing;
}

async function cleanUp(): Promise<void> {
  bystander.close();
  for (const thing of opened.splice(0)) thing.close();
  await until(() => server.hub.connectionCount === 0, 'every connection of the test to be gone');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

function expectUnaffected(report: BystanderReport, label: string): void {
  console.info(`[abuse] ${label}: bystander ${JSON.stringify(report)}`);
  expect(report.closeCode).toBeUndefined();
  expect(report.received).toBe(report.beats);
  expect(report.inOrder).toBe(true);
  // Generous for a shared 2-core machine running other suites; a hub blocked by the abuser shows seconds.
  expect(report.maxDelayMs).toBeLessThan(1000);
}

async function closesWith(code: number): Promise<number> {
  const text = await server.metrics.registry.getSingleMetricAsString('trendstream_server_closes_total');
  const line = text.split('\n').find((l) => l.includes(`code="${code}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('with the default rate limit', () => {
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    bystander = await Bystander.join(server);
  });
  afterEach(cleanUp);

  it('cuts a subscribe/unsubscribe flood with rate_limited then 4001, leaving presence clean', async () => {
    const member = track(await WsTestClient.connect(`${server.wsUrl}?name=member`));
    await member.request({ type: 'subscribe', id: 'm', channel: 'chat:flood' });
    const attacker = track(await WsTestClient.connect(`${server.wsUrl}?name=attacker`));
    bystander.start();
    for (let i = 0; i < 5000; i += 1) {
      attacker.send({ type: 'subscribe', id: `s${i}`, channel: 'chat:flood' });
      attacker.send({ type: 'unsubscribe', id: `u${i}`, channel: 'chat:flood' });
    }
    expect(await attacker.closed).toBe(CloseCode.RateLimitExceeded);
    const report = await bystander.stop();

    // The refusals were counted; the attacker may not see its rate_limited errors, since the 4001
    // close drops whatever was still queued for it.
    const limited = await server.metrics.registry.getSingleMetricAsString('trendstream_rate_limited_total');
    expect(Number(limited.trim().split(' ').at(-1))).toBeGreaterThanOrEqual(200);
    // At most the burst got through before the refusals began.
    const served = attacker.frames.filter((f) => f.type === 'subscribed' || f.type === 'unsubscribed');
    expect(served.length).toBeLessThanOrEqual(100);
    await until(() => server.hub.connectionCount === 2, 'the attacker to be gone');
    expect((await server.hub.presence('chat:flood')).map((c) => c.name)).toEqual(['member']);
    expectUnaffected(report, 'subscribe flood (default limits)');
  });
});

describe('with generous limits', () => {
  beforeAll(async () => {
    server = await startTestServer({
      rateLimitPerSecond: 1_000_000,
      rateLimitBurst: 1_000_000,
      maxConnections: 100,
      socketHighWaterBytes: 16 * 1024,
      maxQueuedBytes: 256 * 1024,
    });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    bystander = await Bystander.join(server);
  });
  afterEach(cleanUp);

  it('answers every request of a 20 000-frame subscribe/unsubscribe flood and ends clean', async () => {
    const member = track(await WsTestClient.connect(`${server.wsUrl}?name=member`));
    await member.request({ type: 'subscribe', id: 'm', channel: 'chat:flood' });
    const attacker = track(await WsTestClient.connect(`${server.wsUrl}?name=attacker`));
    const before = await settledMemory();
    bystander.start();
    const pairs = 10_000;
    for (let i = 0; i < pairs; i += 1) {
      attacker.send({ type: 'subscribe', id: `s${i}`, channel: 'chat:flood' });
      attacker.send({ type: 'unsubscribe', id: `u${i}`, channel: 'chat:flood' });
      if (i % 500 === 0) await sleep(1);
    }
    const replies = (): ServerFrame[] =>
      attacker.frames.filter((f) => 'id' in f && typeof f.id === 'string' && /^[su]\d+$/.test(f.id));
    await until(() => replies().length >= pairs * 2, 'a reply to every request', 15_000).catch(
      () => undefined,
    );
    const report = await bystander.stop();
    const after = await settledMemory();

    const answered = new Set(replies().map((f) => (f as { id: string }).id));
    const unanswered = Array.from({ length: pairs * 2 }, (_, i) =>
      i % 2 === 0 ? `s${i >> 1}` : `u${i >> 1}`,
    ).filter((id) => !answered.has(id));
    expect(unanswered.slice(0, 5), `${unanswered.length} requests never answered`).toEqual([]);
    expect(replies().length).toBe(pairs * 2);
    expect((await server.hub.presence('chat:flood')).map((c) => c.name)).toEqual(['member']);
    // Every join the member saw for the attacker has its leave.
    const about = (type: string) =>
      member.frames.filter((f) => f.type === type && 'client' in f && f.client.name === 'attacker').length;
    expect(about('join')).toBe(about('leave'));
    console.info(
      `[abuse] flood: heap ${before.heapUsedMb} → ${after.heapUsedMb} MB, ${about('join')} join/leave pairs`,
    );
    expect(after.heapUsedMb - before.heapUsedMb).toBeLessThan(32);
    expectUnaffected(report, 'subscribe flood (generous limits)');
  }, 30_000);

  it('returns to its baseline after 1 000 connections opened and closed in a loop', async () => {
    const before = await settledMemory();
    const baseline = server.hub.connectionCount;
    bystander.start();
    for (let i = 0; i < 1000; i += 1) {
      const client = await WsTestClient.connect(`${server.wsUrl}?name=loop-${i}`);
      client.close();
    }
    await until(() => server.hub.connectionCount === baseline, 'every looped connection to be gone');
    await until(() => bystander.clientCount === baseline, 'the client count to come back');
    const report = await bystander.stop();
    const after = await settledMemory();
    console.info(`[abuse] connection loop: heap ${before.heapUsedMb} → ${after.heapUsedMb} MB`);
    expect(await server.hub.clientCount()).toBe(baseline);
    expect(after.heapUsedMb - before.heapUsedMb).toBeLessThan(16);
    expectUnaffected(report, 'connection loop');
  }, 30_000);

  it('caps a burst of 300 simultaneous connections at maxConnections with 503', async () => {
    const free = server.config.maxConnections - server.hub.connectionCount;
    bystander.start();
    const outcomes = await Promise.all(
      Array.from(
        { length: 300 },
        () =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(server.wsUrl);
            track({ close: () => ws.terminate() });
            ws.once('message', () => resolve('accepted'));
            ws.once('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
            ws.once('error', () => resolve('error'));
          }),
      ),
    );
    const accepted = outcomes.filter((o) => o === 'accepted').length;
    const refused = outcomes.filter((o) => o === '503').length;
    console.info(`[abuse] burst: ${accepted} accepted, ${refused} refused with 503`);
    expect(accepted + refused).toBe(300);
    expect(accepted).toBe(free);
    expect(server.hub.connectionCount).toBe(100);
    for (const thing of opened.splice(0)) thing.close();
    await until(() => server.hub.connectionCount === 1, 'the burst to be gone');
    expectUnaffected(await bystander.stop(), 'connection burst');
  });

  it('closes 20 clients that never read with 4000 and gives their memory back', async () => {
    const before = await settledMemory();
    const closedBefore = await closesWith(CloseCode.SlowConsumer);
    const stalled: RawWsSocket[] = [];
    for (let i = 0; i < 20; i += 1) {
      const socket = track(await openRawWebSocket(server.port));
      const subscribe = Buffer.from(JSON.stringify({ type: 'subscribe', channel: 'events' }));
      socket.write(clientFrame({ firstByte: 0x81, mask: true, payload: subscribe }));
      stalled.push(socket);
    }
    await until(() => server.hub.connectionCount === 21, 'the stalled clients to connect');
    await sleep(100);
    for (const socket of stalled) socket.pauseReading();
    bystander.start();
    const payload = 'x'.repeat(8 * 1024);
    // 12 MB each, more than kernel buffers plus the queue; paced so a client that reads keeps up.
    for (let i = 0; i < 1500; i += 1) {
      await server.hub.publish('events', { i, payload });
      if (i % 10 === 0) await sleep(1);
    }
    await until(() => server.hub.connectionCount === 1, 'the stalled clients to be closed', 10_000);
    const report = await bystander.stop();
    const after = await settledMemory();
    console.info(`[abuse] never-reading clients: heap ${before.heapUsedMb} → ${after.heapUsedMb} MB`);
    expect((await closesWith(CloseCode.SlowConsumer)) - closedBefore).toBe(20);
    expect(after.heapUsedMb - before.heapUsedMb).toBeLessThan(16);
    expectUnaffected(report, 'never-reading clients');
  }, 30_000);
});

describe('with a 300 ms heartbeat', () => {
  beforeAll(async () => {
    server = await startTestServer({ heartbeatMs: 300 });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    bystander = await Bystander.join(server);
  });
  afterEach(cleanUp);

  it('reaps a slow loris that stops half-way through a frame', async () => {
    bystander.start();
    for (let i = 0; i < 20; i += 1) {
      const socket = track(await openRawWebSocket(server.port));
      // A header announcing 1 000 bytes, then 10 of them, then nothing: never a complete frame.
      const frame = clientFrame({ firstByte: 0x81, mask: true, payload: new Uint8Array(1000) });
      socket.write(frame.subarray(0, 18));
    }
    await until(() => server.hub.connectionCount === 21, 'the lorises to connect');
    const started = Date.now();
    await until(() => server.hub.connectionCount === 1, 'the heartbeat to reap them', 3000);
    console.info(`[abuse] slow loris reaped in ${Date.now() - started} ms (heartbeat 300 ms)`);
    expectUnaffected(await bystander.stop(), 'websocket slow loris');
  });
});
