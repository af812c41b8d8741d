/**
 * The targets, checked against a run's records (measured, never asserted in tests).
 * A target whose comparison is missing from the run (a `--quick` run, a subset of servers) reads
 * "not measured" rather than passing.
 */
import type { BenchPlan } from '../plan.ts';
import type { ServerKind } from '../servers/kinds.ts';
import { ratio } from '../stats.ts';
import type { BenchReport, MemoryRecord, PhaseRecord, TargetCheck } from './records.ts';

function phaseOf(
  report: BenchReport,
  server: ServerKind,
  clients: number,
  phase: string,
): PhaseRecord | undefined {
  return report.phases.find((p) => p.server === server && p.clients === clients && p.phase === phase);
}

function memoryOf(report: BenchReport, server: ServerKind, clients: number): MemoryRecord | undefined {
  return report.memory.find((m) => m.server === server && m.clients === clients);
}

function best(values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined && v > 0);
  return present.length === 0 ? undefined : Math.min(...present);
}

function verdict(ratios: (number | undefined)[], limit: number): boolean | undefined {
  if (ratios.length === 0 || ratios.some((r) => r === undefined)) return undefined;
  return ratios.every((r) => r !== undefined && r <= limit);
}

const NOT_MEASURED = 'not measured in this run';

/** Server CPU per delivery at max rate, TrendStream against the best of `baselines`, at every level. */
function cpuTarget(report: BenchReport, baselines: ServerKind[], limit: number, label: string): TargetCheck {
  const levels = [...new Set(report.phases.filter((p) => p.phase === 'max').map((p) => p.clients))];
  const parts: string[] = [];
  const ratios: (number | undefined)[] = [];
  for (const clients of levels) {
    const ours = phaseOf(report, 'trendstream', clients, 'max')?.cpuPerDeliveryUs;
    const theirs = best(baselines.map((b) => phaseOf(report, b, clients, 'max')?.cpuPerDeliveryUs));
    if (ours === undefined || theirs === undefined) continue;
    const r = ratio(ours, theirs);
    ratios.push(r);
    parts.push(`C=${clients}: ${r}× (${ours} vs ${theirs} µs)`);
  }
  return {
    target: `server CPU per delivery ≤ ${limit}× ${label} (max rate)`,
    measured: parts.length > 0 ? parts.join('; ') : NOT_MEASURED,
    met: verdict(ratios, limit),
  };
}

function p99AgainstWs(report: BenchReport): TargetCheck {
  const ours = phaseOf(report, 'trendstream', 5000, '10 msg/s')?.latencyMs.p99;
  const ws = best([
    phaseOf(report, 'ws-plain', 5000, '10 msg/s')?.latencyMs.p99,
    phaseOf(report, 'ws-preframed', 5000, '10 msg/s')?.latencyMs.p99,
  ]);
  const r = ratio(ours, ws);
  return {
    target: 'p99 at C=5000, 10 msg/s no worse than raw ws',
    measured: r === undefined ? NOT_MEASURED : `${ours} ms vs ${ws} ms (${r}×)`,
    met: r === undefined ? undefined : r <= 1,
  };
}

function p99Absolute(report: BenchReport): TargetCheck {
  const ours = phaseOf(report, 'trendstream', 5000, '1 msg/s')?.latencyMs.p99;
  return {
    target: 'p99 < 50 ms at C=5000, 1 msg/s',
    measured: ours === undefined ? NOT_MEASURED : `${ours} ms`,
    met: ours === undefined ? undefined : ours < 50,
  };
}

/**
 * Judged at the largest level both were measured at, and only from 5 000 connections up: below
 * that, V8 heap growth steps (several MB) swamp the per-connection RSS.
 */
const MIN_CLIENTS_FOR_RSS_VERDICT = 5000;

function memoryTarget(report: BenchReport, plan: BenchPlan): TargetCheck {
  const parts: string[] = [];
  let judged: number | undefined;
  let judgedAt = 0;
  for (const level of plan.levels.filter((l) => l.idleMemory && !l.hold)) {
    const ours = memoryOf(report, 'trendstream', level.clients)?.rssPerConnectionKb;
    const ws = best([
      memoryOf(report, 'ws-plain', level.clients)?.rssPerConnectionKb,
      memoryOf(report, 'ws-preframed', level.clients)?.rssPerConnectionKb,
    ]);
    if (ours === undefined || ws === undefined) continue;
    judged = ratio(ours, ws);
    judgedAt = level.clients;
    parts.push(`C=${level.clients}: ${judged}× (${ours} vs ${ws} KB RSS)`);
  }
  if (judgedAt > 0 && judgedAt < MIN_CLIENTS_FOR_RSS_VERDICT) {
    parts.push(`no verdict below C=${MIN_CLIENTS_FOR_RSS_VERDICT} (RSS too noisy)`);
    judged = undefined;
  }
  return {
    target: 'memory per idle connection ≤ 1.2× raw ws (judged at the largest C)',
    measured: parts.length > 0 ? parts.join('; ') : NOT_MEASURED,
    met: judged === undefined ? undefined : judged <= 1.2,
  };
}

function holdTarget(report: BenchReport, plan: BenchPlan): TargetCheck {
  const level = plan.levels.find((l) => l.hold);
  const memory = level ? memoryOf(report, 'trendstream', level.clients) : undefined;
  const phase = level
    ? report.phases.find((p) => p.server === 'trendstream' && p.clients === level.clients)
    : undefined;
  if (!level || !memory || !phase) {
    return { target: 'one process holds 19 000 connections', measured: NOT_MEASURED, met: undefined };
  }
  return {
    target: `one process holds ${level.clients} connections`,
    measured:
      `${memory.connected} subscribed in ${memory.connectMs} ms, ${memory.rssMb} MB RSS; ` +
      `${phase.delivered}/${phase.expected} deliveries, p99 ${phase.latencyMs.p99} ms`,
    met: memory.connected >= level.clients && phase.delivered === phase.expected,
  };
}

function slowConsumerCheck(report: BenchReport, plan: BenchPlan): TargetCheck {
  const parts: string[] = [];
  for (const level of plan.levels) {
    for (const spec of level.phases.filter((p) => p.comparesTo)) {
      const stalled = phaseOf(report, 'trendstream', level.clients, spec.name);
      const calm = phaseOf(report, 'trendstream', level.clients, spec.comparesTo ?? '');
      if (!stalled || !calm) continue;
      parts.push(
        `C=${level.clients}: p99 ${stalled.latencyMs.p99} ms with ${stalled.stalledClients} stalled vs ` +
          `${calm.latencyMs.p99} ms without (${ratio(stalled.latencyMs.p99, calm.latencyMs.p99)}×)`,
      );
    }
  }
  return {
    target: 'healthy clients unaffected by 1% stalled clients (reported, no fixed limit)',
    measured: parts.length > 0 ? parts.join('; ') : NOT_MEASURED,
    met: undefined,
  };
}

export function checkTargets(report: BenchReport, plan: BenchPlan): TargetCheck[] {
  return [
    cpuTarget(report, ['ws-plain', 'ws-preframed'], 0.9, 'best raw ws'),
    cpuTarget(report, ['socketio'], 0.5, 'Socket.IO'),
    p99AgainstWs(report),
    p99Absolute(report),
    memoryTarget(report, plan),
    holdTarget(report, plan),
    slowConsumerCheck(report, plan),
  ];
}
