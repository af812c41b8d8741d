/**
 * Scenario `http-publish`: what one publication costs the server through the HTTP API, sent one per
 * `POST /api/publish` or 100 per `POST /api/batch`, on one keep-alive connection (pipelined), with a
 * few WebSocket subscribers on the channel. The server runs in its own process (feeds off) and
 * reports its own CPU time; ÷ publications = server µs per publication, fan-out included. The
 * publisher stays at most a few thousand publications ahead of its subscribers, so no backlog (and
 * no slow-consumer close) builds up when the load side is the slower one.
 */
import { encodeMessage } from '../load/message.ts';
import type { HttpPublishRecord } from '../report/records.ts';
import { ServerProcess } from '../server-process.ts';
import { TRENDSTREAM_API_KEY, TRENDSTREAM_CHANNEL } from '../servers/kinds.ts';
import { PipelinedHttpClient, type HttpReply } from './http-client.ts';
import { subscribers } from './ws-clients.ts';

const HOST = '127.0.0.1';
const SUBSCRIBERS = 4;
const BATCH_SIZE = 100;
const MESSAGE_BYTES = 200;
/** Publications the publisher may be ahead of the slowest subscriber. */
const MAX_LAG = 2000;
const DRAIN_TIMEOUT_MS = 5000;
const AUTH = { Authorization: `Bearer ${TRENDSTREAM_API_KEY}` };

export interface HttpPublishOptions {
  quick: boolean;
  log: (line: string) => void;
  cpuProfileDir?: string;
  /** Measured time per mode (default 3 s, 1.5 s quick), and unmeasured time before it. */
  durationMs?: number;
  warmupMs?: number;
}

interface Mode {
  mode: HttpPublishRecord['mode'];
  path: string;
  perRequest: number;
  window: number;
  body: () => string;
  /** Publications a reply confirms, and items it refused. */
  confirmed: (reply: HttpReply) => { ok: number; failed: number };
}

let nextSeq = 1;

function message(): string {
  return encodeMessage({ sentAt: 0, phase: 0, seq: nextSeq++ }, MESSAGE_BYTES);
}

const single = {
  mode: 'single' as const,
  path: '/api/publish',
  perRequest: 1,
  body: () => `{"channel":"${TRENDSTREAM_CHANNEL}","data":${message()}}`,
  confirmed: (reply: HttpReply) => (reply.status === 200 ? { ok: 1, failed: 0 } : { ok: 0, failed: 1 }),
};

const batch = {
  mode: 'batch' as const,
  path: '/api/batch',
  perRequest: BATCH_SIZE,
  body: () => {
    const items: string[] = [];
    for (let i = 0; i < BATCH_SIZE; i += 1) {
      items.push(`{"channel":"${TRENDSTREAM_CHANNEL}","data":${message()}}`);
    }
    return `{"publications":[${items.join(',')}]}`;
  },
  confirmed: (reply: HttpReply) => {
    if (reply.status !== 200) return { ok: 0, failed: BATCH_SIZE };
    const { results } = JSON.parse(reply.body) as { results: { seq?: number }[] };
    const ok = results.filter((r) => typeof r.seq === 'number').length;
    return { ok, failed: results.length - ok };
  },
};

/**
 * One request at a time (what a plain keep-alive HTTP client does), then pipelined: 16 single
 * requests (the most TrendStream allows in flight on one connection) against 4 batches.
 */
const MODES: Mode[] = [
  { ...single, window: 1 },
  { ...single, window: 16 },
  { ...batch, window: 1 },
  { ...batch, window: 4 },
];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function runHttpPublishScenario(options: HttpPublishOptions): Promise<HttpPublishRecord[]> {
  const warmupMs = options.warmupMs ?? (options.quick ? 500 : 1000);
  const durationMs = options.durationMs ?? (options.quick ? 1500 : 3000);
  const server = await ServerProcess.start('trendstream', {
    profileLabel: 'http-publish',
    ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
  });
  const subs = await subscribers(server.port, TRENDSTREAM_CHANNEL, SUBSCRIBERS);
  const records: HttpPublishRecord[] = [];
  try {
    options.log(
      `HTTP publish: ${SUBSCRIBERS} subscribers, ${MESSAGE_BYTES}-byte messages, one keep-alive connection`,
    );
    for (const mode of MODES) {
      const http = await PipelinedHttpClient.open(HOST, server.port, mode.window);
      try {
        await measure(mode, http, server, subs.received, warmupMs); // warm-up: JIT, buffers
        const record = await measure(mode, http, server, subs.received, durationMs);
        records.push(record);
        options.log(
          `  ${`${mode.mode} ×${mode.perRequest}, ${mode.window} in flight`.padEnd(26)} ${String(record.publicationsPerSec).padStart(7)} pub/s  ` +
            `${record.cpuPerPublicationUs.toFixed(1)} µs/publication (sys ${record.sysPerPublicationUs.toFixed(1)})  ` +
            `srv ${record.serverCpuPercent}%  ${record.delivered}/${record.expected} delivered` +
            (record.failures > 0 ? `  ${record.failures} refused` : ''),
        );
      } finally {
        http.close();
      }
    }
  } finally {
    for (const client of subs.clients) client.close();
    await server.stop();
  }
  return records;
}

async function measure(
  mode: Mode,
  http: PipelinedHttpClient,
  server: ServerProcess,
  received: () => number,
  durationMs: number,
): Promise<HttpPublishRecord> {
  const receivedBefore = received();
  const before = await server.stats(false);
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  let requests = 0;
  let publications = 0;
  let failures = 0;
  const lag = (): number => publications - (received() - receivedBefore) / SUBSCRIBERS;

  const lane = async (): Promise<void> => {
    while (performance.now() < deadline) {
      while (lag() > MAX_LAG && performance.now() < deadline) await sleep(1);
      const reply = await http.post(mode.path, mode.body(), AUTH);
      requests += 1;
      const { ok, failed } = mode.confirmed(reply);
      publications += ok;
      failures += failed;
    }
  };
  await Promise.all(Array.from({ length: mode.window }, lane));
  const expected = publications * SUBSCRIBERS;
  const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (received() - receivedBefore < expected && performance.now() < drainDeadline) await sleep(2);
  const after = await server.stats(false);
  const wallMs = performance.now() - t0;
  const cpuMicros = after.userMicros + after.systemMicros - before.userMicros - before.systemMicros;
  const sysMicros = after.systemMicros - before.systemMicros;
  const perPublication = (micros: number): number =>
    publications > 0 ? Math.round((micros / publications) * 10) / 10 : 0;
  return {
    mode: mode.mode,
    perRequest: mode.perRequest,
    window: mode.window,
    subscribers: SUBSCRIBERS,
    requests,
    publications,
    failures,
    delivered: received() - receivedBefore,
    expected,
    wallMs: Math.round(wallMs),
    publicationsPerSec: Math.round((publications / wallMs) * 1000),
    serverCpuMs: Math.round(cpuMicros / 1000),
    serverCpuPercent: Math.round(cpuMicros / 10 / wallMs),
    cpuPerPublicationUs: perPublication(cpuMicros),
    sysPerPublicationUs: perPublication(sysMicros),
  };
}
