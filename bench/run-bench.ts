/**
 * The benchmark orchestrator: runs the selected scenarios — the fan-out (every level of the plan
 * against each selected server, baselines and TrendStream under the same harness), the HTTP publish
 * cost (single against batch), the backend proxies — then checks the targets and writes the tables,
 * the JSON report and the HTML page.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runLevel } from './level-runner.ts';
import { LoadPool } from './load-pool.ts';
import { describeMachine } from './machine.ts';
import { DEFAULT_PLAN, QUICK_PLAN } from './plan.ts';
import { busiestProfile, renderHotFunctions } from './profile-summary.ts';
import type {
  BenchReport,
  ConnectRateRecord,
  HttpPublishRecord,
  MemoryRecord,
  PhaseRecord,
  ProxiedPublishRecord,
  Scenario,
} from './report/records.ts';
import { renderTables } from './report/table.ts';
import { checkTargets } from './report/targets.ts';
import { writeReport, type WrittenReport } from './report/write-report.ts';
import { runBackendScenario } from './scenarios/backend.ts';
import { runHttpPublishScenario } from './scenarios/http-publish.ts';
import { SERVER_KINDS, type ServerKind } from './servers/kinds.ts';

export const SCENARIOS: readonly Scenario[] = ['fanout', 'http-publish', 'backend'];
/** What `npm run bench` runs without `--scenario`: `backend` adds about half a minute, so it is asked for. */
export const DEFAULT_SCENARIOS: readonly Scenario[] = ['fanout', 'http-publish'];

export interface BenchOptions {
  quick: boolean;
  scenarios: Scenario[];
  servers: ServerKind[];
  /** Where the JSON and HTML reports go. */
  outDir: string;
  /** Profile each server process (V8 .cpuprofile files in `<outDir>/profiles`). */
  cpuProf: boolean;
  /** Subscriber worker processes. */
  workers: number;
  /** Run only the plan's levels with these client counts (all when empty). */
  clients: number[];
  /** Message size instead of the plan's (200 bytes). */
  messageBytes?: number;
  log: (line: string) => void;
}

export const DEFAULT_OUT_DIR = new URL('./results/', import.meta.url).pathname;

export const DEFAULT_OPTIONS: BenchOptions = {
  quick: false,
  scenarios: [...DEFAULT_SCENARIOS],
  servers: [...SERVER_KINDS],
  outDir: DEFAULT_OUT_DIR,
  cpuProf: false,
  workers: 2,
  clients: [],
  log: (line) => console.log(line),
};

const NOTES = [
  'Latency: publisher send → subscriber receive, both stamped on CLOCK_MONOTONIC (shared by all processes).',
  'CPU µs/delivery: server process user+sys (process.cpuUsage) over the phase ÷ deliveries; includes receiving the publications.',
  'Raw ws baselines relay the publisher’s bytes as is; Socket.IO and TrendStream parse and re-serialize each message once.',
  'TrendStream subscribers read the `events` channel; the publisher uses POST /api/publish (keep-alive, pipelined).',
  'Max rate: the publisher keeps a window of messages ahead of the slowest healthy subscriber (closed loop).',
  'srv CPU% / gen CPU%: the server process / the busiest load-generator process, in % of one core.',
  'saturated: which side used ≥85% of a core (server, or a load-generator process), or the machine ≥90% busy.',
  'Idle memory per connection: the slope between a tenth of the clients and all of them, after GC (RSS, and V8 heap + external).',
  'HTTP publish: server CPU µs per publication (fan-out to 4 subscribers included), POST /api/publish against POST /api/batch with 100 per request, one keep-alive connection.',
  'Backend: connect rate through 400 concurrent connects (2 workers × 200); publish latency at 500/s, publish frame → ack and → subscriber, direct vs through the publish proxy; the bench backend runs in the orchestrator.',
];

export async function runBench(
  options: BenchOptions,
): Promise<{ report: BenchReport; written: WrittenReport }> {
  const basePlan = options.quick ? QUICK_PLAN : DEFAULT_PLAN;
  const plan = {
    ...basePlan,
    messageBytes: options.messageBytes ?? basePlan.messageBytes,
    levels:
      options.clients.length === 0
        ? basePlan.levels
        : basePlan.levels.filter((l) => options.clients.includes(l.clients)),
  };
  if (plan.levels.length === 0)
    throw new Error(`the ${basePlan.name} plan has no level with C in ${options.clients.join(', ')}`);
  const machine = describeMachine();
  const startedAt = new Date();
  const t0 = performance.now();
  mkdirSync(options.outDir, { recursive: true });
  const profileDir = options.cpuProf ? `${options.outDir}/profiles` : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const profilesBefore = new Set(profileDir ? readdirSync(profileDir) : []);
  const scenarios = SCENARIOS.filter((name) => options.scenarios.includes(name));
  const servers = scenarios.includes('fanout') ? ` (fan-out: ${options.servers.join(', ')})` : '';
  options.log(
    `TrendStream bench (${plan.name}): ${scenarios.join(', ')}${servers} on ${machine.cores} × ${machine.cpuModel}, ` +
      `load average ${machine.loadAverage.join(' ')}`,
  );
  const needsPool = scenarios.includes('fanout') || scenarios.includes('backend');
  const pool = needsPool ? await LoadPool.start(options.workers) : undefined;
  const phases: PhaseRecord[] = [];
  const memory: MemoryRecord[] = [];
  let httpPublish: HttpPublishRecord[] | undefined;
  let connectRate: ConnectRateRecord[] | undefined;
  let proxiedPublish: ProxiedPublishRecord[] | undefined;
  const profiles = profileDir ? { cpuProfileDir: profileDir } : {};
  try {
    if (pool && scenarios.includes('fanout')) {
      for (const level of plan.levels) {
        options.log(`C = ${level.clients}${level.hold ? ' (connection capacity)' : ''}`);
        for (const kind of options.servers) {
          if (level.servers && !level.servers.includes(kind)) continue;
          const result = await runLevel(kind, level, {
            pool,
            plan,
            cores: machine.cores,
            log: options.log,
            ...profiles,
          });
          phases.push(...result.phases);
          if (level.idleMemory) memory.push(result.memory);
        }
      }
    }
    if (scenarios.includes('http-publish')) {
      httpPublish = await runHttpPublishScenario({ quick: options.quick, log: options.log, ...profiles });
    }
    if (pool && scenarios.includes('backend')) {
      const result = await runBackendScenario({ pool, quick: options.quick, log: options.log, ...profiles });
      connectRate = result.connectRate;
      proxiedPublish = result.proxiedPublish;
    }
  } finally {
    await pool?.close();
  }
  const report: BenchReport = {
    plan: plan.name,
    startedAt: startedAt.toISOString(),
    durationSec: Math.round((performance.now() - t0) / 100) / 10,
    machine,
    servers: options.servers,
    workers: options.workers,
    messageBytes: plan.messageBytes,
    scenarios,
    phases,
    memory,
    ...(httpPublish ? { httpPublish } : {}),
    ...(connectRate ? { connectRate } : {}),
    ...(proxiedPublish ? { proxiedPublish } : {}),
    targets: [],
    notes: NOTES,
  };
  report.targets = checkTargets(report, plan);
  options.log('');
  options.log(renderTables(report));
  const written = writeReport(report, options.outDir);
  options.log(`\nJSON: ${written.jsonPath}\nHTML: ${written.htmlPath}`);
  if (profileDir) logProfiles(profileDir, profilesBefore, options.log);
  return { report, written };
}

/** The hottest functions of each server run this run profiled (its main thread's profile). */
function logProfiles(dir: string, before: Set<string>, log: (line: string) => void): void {
  for (const run of readdirSync(dir)
    .filter((f) => !before.has(f))
    .sort()) {
    const files = readdirSync(join(dir, run))
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, run, f));
    const main = busiestProfile(files);
    if (main) log(`\n${renderHotFunctions(main, 15)}`);
  }
}
