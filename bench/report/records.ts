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

/** `POST /api/publish` one at a time against `POST /api/batch` (scenario `http-publish`). */
export interface HttpPublishRecord {
  mode: 'single' | 'batch';
  /** Publications per request (1 for single). */
  perRequest: number;
  /** Requests pipelined on the one keep-alive connection. */
  window: number;
  subscribers: number;
  requests: number;
  /** Publications the server confirmed (a 200 for single, a result with a seq in a batch). */
  publications: number;
  /** Requests or batch items refused. */
  failures: number;
  delivered: number;
  expected: number;
  wallMs: number;
  publicationsPerSec: number;
  serverCpuMs: number;
  serverCpuPercent: number;
  /** Server CPU (user + sys) ÷ publications, including the fan-out to the subscribers. */
  cpuPerPublicationUs: number;
  sysPerPublicationUs: number;
}

/** Connecting WebSocket clients without and with the connect proxy (scenario `backend`). */
export interface ConnectRateRecord {
  mode: 'no proxy' | 'connect proxy';
  connections: number;
  failed: number;
  errors: string[];
  elapsedMs: number;
  connectionsPerSec: number;
  serverCpuMs: number;
  cpuPerConnectionUs: number;
  /** Calls the bench backend answered during the measurement. */
  backendCalls: number;
}

/** A client's WebSocket publish, straight or through the publish proxy (scenario `backend`). */
export interface ProxiedPublishRecord {
  mode: 'direct' | 'publish proxy';
  channel: string;
  /** Publications per second (fixed rate). */
  rate: number;
  sent: number;
  acked: number;
  failures: number;
  subscribers: number;
  /** Publish frame sent → its ack back at the publisher, ms. */
  ackLatencyMs: Summary;
  /** Publish frame sent → the publication at a subscriber, ms. */
  deliveryLatencyMs: Summary;
  cpuPerPublicationUs: number;
  backendCalls: number;
}

export type Scenario = 'fanout' | 'http-publish' | 'backend';

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
  /** The issue that set it; absent: the fan-out targets of issue 6. */
  issue?: number;
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
  /** What ran (reports written before scenarios existed ran the fan-out only). */
  scenarios?: Scenario[];
  phases: PhaseRecord[];
  memory: MemoryRecord[];
  httpPublish?: HttpPublishRecord[];
  connectRate?: ConnectRateRecord[];
  proxiedPublish?: ProxiedPublishRecord[];
  targets: TargetCheck[];
  notes: string[];
}
