/**
 * Scenario `backend` (issue 11): what the application backend's proxies cost.
 *
 * - **Connections per second** without and with the connect proxy: a fresh server process per mode,
 *   the subscriber workers open WebSocket clients (200 at a time each, subscribing to `events` once
 *   connected, as in the fan-out levels), and the server reports its CPU per connection. With the
 *   proxy every connect waits for a POST to the bench backend, answered `{"result": {"user": "u1"}}`.
 * - **A client's publish, direct or through the publish proxy**: one server with namespaces `plain`
 *   (clients may publish) and `orders` (the same, plus `publish_proxy`); one publisher and a few
 *   subscribers in this process publish at a fixed rate, alternating the two channels in rounds so
 *   drift on the machine hits both alike. Latency is publish frame → ack at the publisher and →
 *   publication at the subscribers, on the shared monotonic clock.
 *
 * The backend is a node:http server in this process (bench-backend.ts), so its CPU is the load
 * side's, not the server's.
 */
import { monotonicMicros } from '../clock.ts';
import type { LoadPool } from '../load-pool.ts';
import type { ConnectRateRecord, ProxiedPublishRecord } from '../report/records.ts';
import { ServerProcess } from '../server-process.ts';
import type { TrendStreamOverrides } from '../servers/trendstream-server.ts';
import { Histogram } from '../stats.ts';
import { startBenchBackend, type BenchBackend } from './bench-backend.ts';
import { BenchWsClient } from './ws-clients.ts';

const SUBSCRIBERS = 4;
const PAD = 'x'.repeat(180);
const PROXIED_CHANNEL = 'orders:bench';
const DIRECT_CHANNEL = 'plain:bench';
const DRAIN_TIMEOUT_MS = 5000;

export interface BackendScenarioOptions {
  pool: LoadPool;
  quick: boolean;
  log: (line: string) => void;
  cpuProfileDir?: string;
  /** Connections measured per mode (default 5000, 1000 quick). */
  connections?: number;
  /** Publish rounds per mode and their length (default 4 × 1000 ms, 2 × 500 ms quick). */
  rounds?: number;
  roundMs?: number;
}

export interface BackendScenarioResult {
  connectRate: ConnectRateRecord[];
  proxiedPublish: ProxiedPublishRecord[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function toMs(micros: number): number {
  return Math.round(micros) / 1000;
}

function summaryMs(histogram: Histogram): ProxiedPublishRecord['ackLatencyMs'] {
  const s = histogram.summary();
  return {
    count: s.count,
    min: toMs(s.min),
    mean: toMs(s.mean),
    p50: toMs(s.p50),
    p90: toMs(s.p90),
    p95: toMs(s.p95),
    p99: toMs(s.p99),
    p999: toMs(s.p999),
    max: toMs(s.max),
  };
}

export async function runBackendScenario(options: BackendScenarioOptions): Promise<BackendScenarioResult> {
  const backend = await startBenchBackend();
  try {
    options.log('Backend proxies: bench backend in the orchestrator process');
    const connectRate: ConnectRateRecord[] = [];
    for (const mode of ['no proxy', 'connect proxy'] as const) {
      const record = await measureConnects(mode, backend, options);
      connectRate.push(record);
      options.log(
        `  connect, ${mode.padEnd(14)} ${String(record.connectionsPerSec).padStart(6)} conn/s  ` +
          `${record.cpuPerConnectionUs} µs server CPU/conn  ${record.connections} connected` +
          (record.failed > 0 ? `, ${record.failed} failed (${record.errors.join('; ')})` : '') +
          `  (${record.backendCalls} backend calls)`,
      );
    }
    const proxiedPublish = await measurePublishes(backend, options);
    for (const record of proxiedPublish) {
      options.log(
        `  publish, ${record.mode.padEnd(14)} ack p50 ${record.ackLatencyMs.p50.toFixed(2)} p99 ${record.ackLatencyMs.p99.toFixed(2)} ms  ` +
          `delivery p50 ${record.deliveryLatencyMs.p50.toFixed(2)} p99 ${record.deliveryLatencyMs.p99.toFixed(2)} ms  ` +
          `${record.cpuPerPublicationUs} µs server CPU/pub  ${record.acked}/${record.sent} acked` +
          (record.failures > 0 ? `, ${record.failures} failed` : '') +
          `  (${record.backendCalls} backend calls)`,
      );
    }
    return { connectRate, proxiedPublish };
  } finally {
    await backend.close();
  }
}

async function measureConnects(
  mode: ConnectRateRecord['mode'],
  backend: BenchBackend,
  options: BackendScenarioOptions,
): Promise<ConnectRateRecord> {
  const { pool } = options;
  const count = options.connections ?? (options.quick ? 1000 : 5000);
  const warmup = Math.min(500, Math.ceil(count / 5));
  const trendstream: TrendStreamOverrides = {
    insecureAnyOrigin: true,
    ...(mode === 'connect proxy' ? { connectProxyUrl: backend.connectUrl } : {}),
  };
  const server = await ServerProcess.start('trendstream', {
    trendstream,
    profileLabel: mode === 'connect proxy' ? 'connect-proxy' : 'connect-direct',
    ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
  });
  try {
    await pool.connect('trendstream', server.port, warmup, 30_000);
    const callsBefore = backend.calls.connect;
    const before = await server.stats(false);
    const result = await pool.connect('trendstream', server.port, count, 30_000 + count * 5);
    const after = await server.stats(false);
    const cpuMicros = after.userMicros + after.systemMicros - before.userMicros - before.systemMicros;
    return {
      mode,
      connections: result.ready,
      failed: result.failed,
      errors: result.errors,
      elapsedMs: result.elapsedMs,
      connectionsPerSec: Math.round((result.ready / Math.max(1, result.elapsedMs)) * 1000),
      serverCpuMs: Math.round(cpuMicros / 1000),
      cpuPerConnectionUs: result.ready > 0 ? Math.round(cpuMicros / result.ready) : 0,
      backendCalls: backend.calls.connect - callsBefore,
    };
  } finally {
    // Server first, so the TIME_WAIT sockets stay on its side (as in the fan-out levels).
    await server.stop();
    await pool.disconnect();
  }
}

interface PublishTally {
  sent: number;
  acked: number;
  failures: number;
  delivered: number;
  cpuMicros: number;
  backendCalls: number;
  ack: Histogram;
  delivery: Histogram;
}

function newTally(): PublishTally {
  return {
    sent: 0,
    acked: 0,
    failures: 0,
    delivered: 0,
    cpuMicros: 0,
    backendCalls: 0,
    ack: new Histogram(),
    delivery: new Histogram(),
  };
}

async function measurePublishes(
  backend: BenchBackend,
  options: BackendScenarioOptions,
): Promise<ProxiedPublishRecord[]> {
  const rate = 500;
  const rounds = options.rounds ?? (options.quick ? 2 : 4);
  const roundMs = options.roundMs ?? (options.quick ? 500 : 1000);
  const server = await ServerProcess.start('trendstream', {
    trendstream: {
      insecureAnyOrigin: true,
      connectProxyUrl: backend.connectUrl,
      publishProxyUrl: backend.publishUrl,
      namespaces: {
        orders: { client_publish: true, publish_proxy: true },
        plain: { client_publish: true },
      },
    },
    profileLabel: 'publish-proxy',
    ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
  });
  const clients: BenchWsClient[] = [];
  try {
    const publisher = await BenchWsClient.connect(server.port, 'name=bench-pub');
    clients.push(publisher);
    // Tallies by channel; the subscribers record deliveries into whichever round is running.
    const tallies = new Map<string, PublishTally>([
      [DIRECT_CHANNEL, newTally()],
      [PROXIED_CHANNEL, newTally()],
    ]);
    let recording: PublishTally | undefined;
    for (let i = 0; i < SUBSCRIBERS; i += 1) {
      const subscriber = await BenchWsClient.connect(server.port, 'name=bench-sub');
      clients.push(subscriber);
      await subscriber.subscribe(DIRECT_CHANNEL);
      await subscriber.subscribe(PROXIED_CHANNEL);
      subscriber.onFrame = (frame, receivedAt) => {
        if (frame.type !== 'publication' || !recording) return;
        const sentAt = (frame.data as { t?: number } | undefined)?.t;
        if (typeof sentAt !== 'number') return;
        recording.delivered += 1;
        recording.delivery.record(receivedAt - sentAt);
      };
    }
    const round = async (channel: string, durationMs: number, measured: boolean): Promise<void> => {
      const tally = measured ? (tallies.get(channel) as PublishTally) : newTally();
      recording = tally;
      const callsBefore = backend.calls.publish;
      const before = await server.stats(false);
      const deliveredBefore = tally.delivered;
      const acks = await publishAtRate(publisher, channel, rate, durationMs, tally);
      const deadline = performance.now() + DRAIN_TIMEOUT_MS;
      while (tally.delivered - deliveredBefore < acks * SUBSCRIBERS && performance.now() < deadline) {
        await sleep(2);
      }
      const after = await server.stats(false);
      tally.cpuMicros += after.userMicros + after.systemMicros - before.userMicros - before.systemMicros;
      tally.backendCalls += backend.calls.publish - callsBefore;
      recording = undefined;
    };
    await round(DIRECT_CHANNEL, 300, false); // warm-up of both paths
    await round(PROXIED_CHANNEL, 300, false);
    for (let r = 0; r < rounds; r += 1) {
      // Alternate which goes first, so neither always follows the other.
      const order = r % 2 === 0 ? [DIRECT_CHANNEL, PROXIED_CHANNEL] : [PROXIED_CHANNEL, DIRECT_CHANNEL];
      for (const channel of order) await round(channel, roundMs, true);
    }
    return [DIRECT_CHANNEL, PROXIED_CHANNEL].map((channel) => {
      const t = tallies.get(channel) as PublishTally;
      return {
        mode: channel === PROXIED_CHANNEL ? 'publish proxy' : 'direct',
        channel,
        rate,
        sent: t.sent,
        acked: t.acked,
        failures: t.failures,
        subscribers: SUBSCRIBERS,
        ackLatencyMs: summaryMs(t.ack),
        deliveryLatencyMs: summaryMs(t.delivery),
        cpuPerPublicationUs: t.acked > 0 ? Math.round((t.cpuMicros / t.acked) * 10) / 10 : 0,
        backendCalls: t.backendCalls,
      };
    });
  } finally {
    for (const client of clients) client.close();
    await server.stop();
  }
}

/** Publish on a schedule for `durationMs`; resolves with the number acked once every reply is in. */
async function publishAtRate(
  publisher: BenchWsClient,
  channel: string,
  rate: number,
  durationMs: number,
  tally: PublishTally,
): Promise<number> {
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  const replies: Promise<void>[] = [];
  let acked = 0;
  const publishOne = (): void => {
    const sentAt = monotonicMicros();
    const id = `p${tally.sent}-${sentAt}`;
    tally.sent += 1;
    replies.push(
      publisher.request({ type: 'publish', id, channel, data: { t: sentAt, pad: PAD } }).then(
        () => {
          tally.acked += 1;
          acked += 1;
          tally.ack.record(monotonicMicros() - sentAt);
        },
        () => {
          tally.failures += 1;
        },
      ),
    );
  };
  const t0 = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1);
      while (sent < due) {
        publishOne();
        sent += 1;
      }
      if (sent >= total) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(replies);
  return acked;
}
