/**
 * One server at one connection level: a fresh server process, the publisher, C subscribers, the
 * idle-memory reading, an unmeasured warm-up, then the level's phases. The server is stopped before
 * the clients let go, so the TIME_WAIT sockets stay on the server's side.
 */
import type { LoadPool } from './load-pool.ts';
import { runPhase, type PhaseContext } from './phase-runner.ts';
import type { BenchPlan, LevelSpec } from './plan.ts';
import type { MemoryRecord, PhaseRecord } from './report/records.ts';
import { ServerProcess, type ServerProcessOptions } from './server-process.ts';
import type { ServerKind } from './servers/kinds.ts';

const MB = 1024 * 1024;
/** Let connect-time work settle (TrendStream coalesces client_count pushes over 250 ms). */
const SETTLE_MS = 250;

export interface LevelResult {
  memory: MemoryRecord;
  phases: PhaseRecord[];
}

export interface LevelOptions extends ServerProcessOptions {
  pool: LoadPool;
  plan: BenchPlan;
  cores: number;
  log: (line: string) => void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function connectTimeoutMs(clients: number): number {
  return 15_000 + clients * 2;
}

export async function runLevel(
  kind: ServerKind,
  level: LevelSpec,
  options: LevelOptions,
): Promise<LevelResult> {
  const { pool, plan, log } = options;
  const server = await ServerProcess.start(kind, { ...options, profileLabel: `c${level.clients}` });
  try {
    await pool.openPublisher(kind, server.port);
    // Memory per connection is the slope between a first tenth of the clients and all of them, so
    // one-time costs (code paths warming up, buffer pools) do not count as per-connection memory.
    const first = await pool.connect(
      kind,
      server.port,
      Math.max(1, Math.floor(level.clients / 10)),
      connectTimeoutMs(level.clients),
    );
    await sleep(SETTLE_MS);
    const base = await server.stats(true);
    const rest = await pool.connect(
      kind,
      server.port,
      level.clients - first.ready - first.failed,
      connectTimeoutMs(level.clients),
    );
    const ready = first.ready + rest.ready;
    const failed = first.failed + rest.failed;
    const errors = [...new Set([...first.errors, ...rest.errors])];
    const connectMs = first.elapsedMs + rest.elapsedMs;
    log(
      `  ${kind} C=${level.clients}: ${ready} subscribed in ${connectMs} ms` +
        (failed > 0 ? `, ${failed} failed (${errors.join('; ')})` : ''),
    );
    await sleep(SETTLE_MS);
    const idle = await server.stats(true);
    const added = Math.max(1, rest.ready);
    const memory: MemoryRecord = {
      server: kind,
      clients: level.clients,
      connected: ready,
      failed,
      errors,
      connectMs,
      baseRssMb: Math.round(base.rss / MB),
      rssMb: Math.round(idle.rss / MB),
      rssPerConnectionKb: Math.round(((idle.rss - base.rss) / added / 1024) * 100) / 100,
      heapPerConnectionKb:
        Math.round(((idle.heapUsed + idle.external - base.heapUsed - base.external) / added / 1024) * 100) /
        100,
    };
    const context: PhaseContext = { pool, server, plan, clients: level.clients, cores: options.cores };
    // Warm-up: about 20 000 deliveries, so the fan-out path is JIT-compiled before anything counts.
    const warmupRate = Math.min(
      500,
      Math.max(5, Math.round(20_000 / level.clients / (plan.warmupMs / 1000))),
    );
    await runPhase(context, { name: 'warm-up', rate: warmupRate, durationMs: plan.warmupMs });
    const phases: PhaseRecord[] = [];
    for (const spec of level.phases) {
      const record = await runPhase(context, spec);
      phases.push(record);
      log(
        `    ${spec.name.padEnd(22)} ${String(record.deliveriesPerSec).padStart(8)} deliv/s  ` +
          `p99 ${record.latencyMs.p99.toFixed(2)} ms  ${record.cpuPerDeliveryUs.toFixed(2)} µs/deliv (sys ${record.sysPerDeliveryUs.toFixed(2)})  ` +
          `srv ${record.serverCpuPercent}%  ${record.delivered}/${record.expected}  [${record.saturated}]`,
      );
    }
    return { memory, phases };
  } finally {
    await server.stop();
    await pool.disconnect();
  }
}
