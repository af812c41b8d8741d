/** The measured records a run produces; the JSON report is these, plus the run's metadata. */
import type { ServerKind } from '../servers/kinds.ts';
import type { Summary } from '../stats.ts';

export type Saturated = 'server' | 'clients' | 'machine' | 'none';

export interface PhaseRecord {
  server: ServerKind;
  clients: number;
  phase: string;
  /** Requested messages per second (0 = max). */
  rate: number;
  healthyClients: number;
  stalledClients: number;
  sent: number;
  /** Deliveries expected to healthy clients (sent × healthy). */
  expected: number;
  delivered: number;
  /** First send to last delivery, ms. */
  wallMs: number;
  messagesPerSec: number;
  deliveriesPerSec: number;
  /** Publish → receive latency of healthy clients, ms. */
  latencyMs: Summary;
  serverCpuMs: number;
  /** Server CPU (user + sys) in % of one core over the phase. */
  serverCpuPercent: number;
  /** Server CPU µs per delivery: the steadiest figure on a shared machine. */
  cpuPerDeliveryUs: number;
  /** The kernel's share of it (system time): the socket writes. */
  sysPerDeliveryUs: number;
  serverRssMb: number;
  workerCpuPercent: number[];
  publisherCpuPercent: number;
  /** Whole machine busy, % of one core (2 cores = 200). */
  machineCpuPercent: number;
  saturated: Saturated;
  /** WebSocket payload bytes per delivery (the envelope differs per server). */
  bytesPerDelivery: number;
  /** Healthy connections that closed during the phase. */
  closedClients: number;
  /** Stalled connections the server had closed by the end of the phase (slow-consumer policy). */
  stalledDropped: number;
  publishFailures: number;
  /** `[latency ms, percentile]` points for the distribution chart. */
  curve: [number, number][];
}

export interface MemoryRecord {
  server: ServerKind;
  clients: number;
  connected: number;
  failed: number;
  errors: string[];
  connectMs: number;
  /** Server RSS after GC with a tenth of the subscribers / with all of them, MB. */
  baseRssMb: number;
  rssMb: number;
  /** (RSS with all − RSS with a tenth) ÷ the connections added, after GC. */
  rssPerConnectionKb: number;
  /** The same for V8 heap used + external memory. */
  heapPerConnectionKb: number;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  kernel: string;
  /** Load average when the run started: other work on the machine skews the figures. */
  loadAverage: number[];
}

export interface TargetCheck {
  target: string;
  /** What was measured, in words and numbers. */
  measured: string;
  met: boolean | undefined;
}

export interface BenchReport {
  plan: string;
  startedAt: string;
  durationSec: number;
  machine: MachineInfo;
  servers: ServerKind[];
  workers: number;
  messageBytes: number;
  phases: PhaseRecord[];
  memory: MemoryRecord[];
  targets: TargetCheck[];
  notes: string[];
}
