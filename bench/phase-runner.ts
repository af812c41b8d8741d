/**
 * One measured phase at one connection level: start counting, publish at the phase's rate, wait
 * for the deliveries to drain, then read the server's CPU and memory, the load generator's CPU and
 * the machine's, and turn it all into a PhaseRecord.
 */
import type { LoadPool } from './load-pool.ts';
import type { BenchPlan, PhaseSpec } from './plan.ts';
import { cpuPercent, machineCpu, machinePercent, processCpuMs } from './proc-stats.ts';
import type { PhaseRecord, Saturated } from './report/records.ts';
import type { ServerProcess } from './server-process.ts';

const SATURATED_PERCENT = 85;
const MAX_WINDOW = 16;
/** After a stalled phase: time for released clients to read their backlog up to a close, if any. */
const STALLED_RELEASE_MS = 500;
const MB = 1024 * 1024;
let nextPhaseId = 1;

export interface PhaseContext {
  pool: LoadPool;
  server: ServerProcess;
  plan: BenchPlan;
  clients: number;
  cores: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForDrain(pool: LoadPool, expected: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (pool.delivered < expected && performance.now() < deadline) await sleep(10);
}

function classify(
  server: number,
  workers: number[],
  publisher: number,
  machine: number,
  cores: number,
): Saturated {
  if (server >= SATURATED_PERCENT) return 'server';
  if (Math.max(publisher, ...workers) >= SATURATED_PERCENT) return 'clients';
  if (machine >= cores * 100 * 0.9) return 'machine';
  return 'none';
}

function toMs(micros: number): number {
  return Math.round(micros) / 1000;
}

export async function runPhase(context: PhaseContext, spec: PhaseSpec): Promise<PhaseRecord> {
  const { pool, server, plan, clients } = context;
  const phase = nextPhaseId++;
  const { healthy, stalled } = await pool.startPhase(phase, spec.stallEvery ?? 0);
  const pids = pool.pids;
  const serverBefore = await server.stats(false);
  const workersBefore = pids.workers.map(processCpuMs);
  const publisherBefore = processCpuMs(pids.publisher);
  const machineBefore = machineCpu();
  const t0 = performance.now();

  // At most 16 messages in flight for every server: TrendStream's HTTP API allows 16 per connection.
  const window = Math.max(
    2,
    Math.min(MAX_WINDOW, Math.floor(plan.maxInFlightDeliveries / Math.max(1, healthy))),
  );
  const run = await pool.publish({
    phase,
    rate: spec.rate,
    durationMs: spec.durationMs,
    window,
    messageBytes: spec.messageBytes ?? plan.messageBytes,
  });
  const expected = run.sent * healthy;
  await waitForDrain(pool, expected, plan.drainTimeoutMs);
  const result = await pool.stopPhase();

  const serverAfter = await server.stats(false);
  const elapsedMs = performance.now() - t0;
  const release = stalled > 0 ? await pool.releaseStalled(STALLED_RELEASE_MS) : { closed: 0 };
  const workerPercents = pids.workers.map((pid, i) =>
    Math.round(cpuPercent(workersBefore[i], processCpuMs(pid), elapsedMs)),
  );
  const publisherPercent = Math.round(cpuPercent(publisherBefore, processCpuMs(pids.publisher), elapsedMs));
  const machine = Math.round(machinePercent(machineBefore, machineCpu(), context.cores));
  const serverCpuMicros =
    serverAfter.userMicros + serverAfter.systemMicros - serverBefore.userMicros - serverBefore.systemMicros;
  const serverSysMicros = serverAfter.systemMicros - serverBefore.systemMicros;
  const serverPercent = Math.round(serverCpuMicros / 10 / elapsedMs);
  const wallMs =
    result.lastDeliveryAt > 0 ? (result.lastDeliveryAt - run.startedAt) / 1000 : Math.max(1, run.elapsedMs);
  const latency = result.histogram.summary();
  const latencyMs = {
    count: latency.count,
    min: toMs(latency.min),
    mean: toMs(latency.mean),
    p50: toMs(latency.p50),
    p90: toMs(latency.p90),
    p95: toMs(latency.p95),
    p99: toMs(latency.p99),
    p999: toMs(latency.p999),
    max: toMs(latency.max),
  };
  return {
    server: server.kind,
    clients,
    phase: spec.name,
    rate: spec.rate,
    healthyClients: healthy,
    stalledClients: stalled,
    sent: run.sent,
    expected,
    delivered: result.delivered,
    wallMs: Math.round(wallMs),
    messagesPerSec: Math.round((run.sent / wallMs) * 1000),
    deliveriesPerSec: Math.round((result.delivered / wallMs) * 1000),
    latencyMs,
    serverCpuMs: Math.round(serverCpuMicros / 1000),
    serverCpuPercent: serverPercent,
    cpuPerDeliveryUs: result.delivered > 0 ? Math.round((serverCpuMicros / result.delivered) * 100) / 100 : 0,
    sysPerDeliveryUs: result.delivered > 0 ? Math.round((serverSysMicros / result.delivered) * 100) / 100 : 0,
    serverRssMb: Math.round(serverAfter.rss / MB),
    workerCpuPercent: workerPercents,
    publisherCpuPercent: publisherPercent,
    machineCpuPercent: machine,
    saturated: classify(serverPercent, workerPercents, publisherPercent, machine, context.cores),
    bytesPerDelivery: result.delivered > 0 ? Math.round(result.bytes / result.delivered) : 0,
    closedClients: result.closed,
    stalledDropped: release.closed,
    publishFailures: run.failures,
    curve: result.histogram
      .percentileCurve()
      .map(([micros, pct]) => [toMs(micros), Math.round(pct * 1000) / 1000]),
  };
}
