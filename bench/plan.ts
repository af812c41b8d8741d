/**
 * What a run measures: connection levels (C subscribers of one channel), and at each level the
 * publishing phases. `--quick` keeps one level so a run ends within 30 s; the default run covers the
 * issue's scenarios within 3 minutes on two cores.
 */
import type { ServerKind } from './servers/kinds.ts';

export interface PhaseSpec {
  /** Shown in the report, e.g. `10 msg/s`, `max`, `10 msg/s, 1% stalled`. */
  name: string;
  /** Messages per second; 0 = maximum rate. */
  rate: number;
  durationMs: number;
  /** Stall every Nth client (100 = 1%); 0 or absent = none. */
  stallEvery?: number;
  /** For stalled runs: the phase (same level) whose healthy p99 this one is compared with. */
  comparesTo?: string;
  /** Message size for this phase instead of the plan's. */
  messageBytes?: number;
}

export interface LevelSpec {
  clients: number;
  /** Measure server memory per idle connection at this level. */
  idleMemory: boolean;
  /** The connection-capacity check (one process holds this many). */
  hold?: boolean;
  /** Only these servers run this level (default: every selected server). */
  servers?: ServerKind[];
  phases: PhaseSpec[];
}

export interface BenchPlan {
  name: 'quick' | 'default';
  messageBytes: number;
  /** Unmeasured publishing at each level before the first phase (JIT, buffers). */
  warmupMs: number;
  /** Time to wait for a phase's last deliveries once publishing stopped. */
  drainTimeoutMs: number;
  /** Max rate: deliveries allowed in flight, as a window of messages = this / C (2 to 16). */
  maxInFlightDeliveries: number;
  levels: LevelSpec[];
}

function fixed(rate: number, durationMs: number): PhaseSpec {
  return { name: `${rate} msg/s`, rate, durationMs };
}

function max(durationMs: number): PhaseSpec {
  return { name: 'max', rate: 0, durationMs };
}

function stalled(rate: number, durationMs: number): PhaseSpec {
  return {
    name: `${rate} msg/s, 1% stalled`,
    rate,
    durationMs,
    stallEvery: 100,
    comparesTo: `${rate} msg/s`,
  };
}

/**
 * Loopback TCP absorbs about 4 MB per stalled connection before the server has to buffer anything,
 * which 200-byte messages at 10 msg/s never fill in a bounded run. These phases push 2 KB messages
 * at the maximum rate to 100 clients, so a stalled client goes past the kernel's buffers within
 * seconds and the server's own slow-consumer policy (buffer, conflate or drop) shows.
 */
function heavy(durationMs: number, stall: boolean): PhaseSpec {
  const base = { rate: 0, durationMs, messageBytes: 2048 };
  return stall
    ? { ...base, name: 'max 2 KB, 1% stalled', stallEvery: 100, comparesTo: 'max 2 KB' }
    : { ...base, name: 'max 2 KB' };
}

export const QUICK_PLAN: BenchPlan = {
  name: 'quick',
  messageBytes: 200,
  warmupMs: 300,
  drainTimeoutMs: 2000,
  maxInFlightDeliveries: 10_000,
  levels: [{ clients: 1000, idleMemory: true, phases: [fixed(20, 800), max(800), stalled(20, 800)] }],
};

export const DEFAULT_PLAN: BenchPlan = {
  name: 'default',
  messageBytes: 200,
  warmupMs: 500,
  drainTimeoutMs: 3000,
  maxInFlightDeliveries: 10_000,
  levels: [
    {
      clients: 100,
      idleMemory: false,
      phases: [fixed(100, 1200), max(1200), heavy(1500, false), heavy(2500, true)],
    },
    { clients: 1000, idleMemory: true, phases: [fixed(20, 1200), max(1200)] },
    {
      clients: 5000,
      idleMemory: false,
      phases: [fixed(1, 3000), fixed(10, 2000), max(1500), stalled(10, 2000)],
    },
    { clients: 10_000, idleMemory: true, phases: [fixed(5, 1600), max(1500)] },
    { clients: 19_000, idleMemory: true, hold: true, servers: ['trendstream'], phases: [fixed(1, 3000)] },
  ],
};
