/**
 * The requests and replies between the orchestrator and its three kinds of child process:
 * the server under test, the subscriber workers and the publisher.
 */
import type { ServerKind } from './servers/kinds.ts';
import type { SparseHistogram } from './stats.ts';

export interface ServerStats {
  /** process.cpuUsage() of the server process, µs. */
  userMicros: number;
  systemMicros: number;
  rss: number;
  heapUsed: number;
  external: number;
}

export type ServerChildProtocol = {
  /** With `gc`, collect garbage twice first (idle-memory figures). */
  stats: { req: { gc: boolean }; res: ServerStats };
  /** Exit now (writes the CPU profile when started with --cpu-prof). */
  stop: { req: Record<string, never>; res: Record<string, never> };
};

export interface ServerReady {
  port: number;
}

export interface ConnectRequest {
  kind: ServerKind;
  host: string;
  port: number;
  count: number;
  /** Ids of this batch's clients start here (stalling picks clients by id). */
  firstId: number;
  localAddress: string;
  /** Connection attempts in flight at once. */
  concurrency: number;
  timeoutMs: number;
}

export interface ConnectResult {
  ready: number;
  failed: number;
  errors: string[];
  elapsedMs: number;
}

export interface PhaseStartRequest {
  phase: number;
  /** Stall (stop reading from) every client whose id is a multiple of this; 0 stalls none. */
  stallEvery: number;
}

export interface PhaseResult {
  /** Deliveries of this phase's messages to healthy clients. */
  delivered: number;
  /** Payload bytes of those deliveries. */
  bytes: number;
  histogram: SparseHistogram;
  healthy: number;
  stalled: number;
  /** Clients whose connection closed since the phase started. */
  closed: number;
  /** When the last counted delivery arrived (µs, shared monotonic clock; 0 if none). */
  lastDeliveryAt: number;
}

export interface Progress {
  delivered: number;
  /** Highest sequence number every open healthy client has received (-1 before any this phase). */
  minSeq: number;
}

export type SubscriberWorkerProtocol = {
  connect: { req: ConnectRequest; res: ConnectResult };
  'phase-start': { req: PhaseStartRequest; res: { healthy: number; stalled: number } };
  'phase-stop': { req: Record<string, never>; res: PhaseResult };
  /**
   * Let stalled clients read again and report, after `waitMs`, how many the server had closed
   * (a paused socket cannot notice its close until it reads the backlog in front of it).
   */
  'release-stalled': { req: { waitMs: number }; res: { released: number; closed: number } };
  /** Close every client (the server is about to be stopped or was). */
  disconnect: { req: Record<string, never>; res: { open: number } };
};

export interface RunRequest {
  phase: number;
  /** Messages per second; 0 publishes as fast as the subscribers keep up (windowed). */
  rate: number;
  durationMs: number;
  /** Max rate: messages allowed ahead of the slowest healthy subscriber. */
  window: number;
  messageBytes: number;
}

export interface RunResult {
  /** When the first message was sent (µs, shared monotonic clock). */
  startedAt: number;
  firstSeq: number;
  lastSeq: number;
  sent: number;
  elapsedMs: number;
  failures: number;
}

export type PublisherProtocol = {
  open: { req: { kind: ServerKind; host: string; port: number }; res: Record<string, never> };
  run: { req: RunRequest; res: RunResult };
  /** Max rate: every healthy subscriber has received up to `seq` (no reply). */
  acked: { req: { seq: number }; res: undefined };
  close: { req: Record<string, never>; res: Record<string, never> };
};
