/**
 * A subscriber worker process: holds thousands of raw WebSocket subscribers, timestamps every
 * delivery of the current phase into a latency histogram, and reports progress: deliveries (so the
 * orchestrator knows when a phase has drained) and, as soon as it happens, the highest sequence number
 * every healthy client has received (so the max-rate publisher is paced without polling delay).
 * Each client receives messages in order, so sequence numbers complete in order: counting the
 * deliveries of each message in flight is enough. Stalled clients simply stop reading their socket.
 */
import type {
  ConnectRequest,
  ConnectResult,
  PhaseResult,
  PhaseStartRequest,
  SubscriberWorkerProtocol,
} from '../child-protocols.ts';
import { emitEvent, serveRequests } from '../ipc.ts';
import { Histogram } from '../stats.ts';
import { decodeStamp, type Stamp } from './message.ts';
import { RawWsClient } from './raw-ws-client.ts';
import { subscriberProtocol, type SubscriberProtocol } from './subscriber-protocols.ts';

const PROGRESS_INTERVAL_MS = 10;
const MAX_REPORTED_ERRORS = 5;

/** Per-client state, indexed by the client's local id. */
const clients: RawWsClient[] = [];
const globalIds: number[] = [];
const subscribed: boolean[] = [];
const stalled: boolean[] = [];
let protocol: SubscriberProtocol | undefined;

const histogram = new Histogram();
const stamp: Stamp = { sentAt: 0, phase: 0, seq: 0 };
let currentPhase = -1;
let delivered = 0;
let bytes = 0;
let closedInPhase = 0;
let lastDeliveryAt = 0;
let progressTimer: NodeJS.Timeout | undefined;
/** Healthy (not stalled) clients still open in the current phase. */
let healthyOpen = 0;
/** Deliveries so far of each message of the phase that not every healthy client has yet. */
const seqCounts = new Map<number, number>();
/** Highest sequence number every healthy client has received (-1: none yet this phase). */
let completeSeq = -1;
let progressScheduled = false;

/** Set while a connect batch runs: it is told about each client that becomes ready or fails. */
let batch: { onReady(): void; onFailed(error: string): void } | undefined;

function onOpen(client: RawWsClient): void {
  if (protocol?.onOpen(client)) markSubscribed(client);
}

function markSubscribed(client: RawWsClient): void {
  if (subscribed[client.id]) return;
  subscribed[client.id] = true;
  batch?.onReady();
}

function onMessage(client: RawWsClient, payload: Buffer, receivedAt: number): void {
  if (!decodeStamp(payload, stamp)) {
    if (protocol?.onControl(client, payload)) markSubscribed(client);
    return;
  }
  if (stamp.phase !== currentPhase || stalled[client.id]) return;
  delivered += 1;
  bytes += payload.length;
  lastDeliveryAt = receivedAt;
  histogram.record(receivedAt - stamp.sentAt);
  const count = (seqCounts.get(stamp.seq) ?? 0) + 1;
  if (count < healthyOpen) seqCounts.set(stamp.seq, count);
  else completeUpTo(stamp.seq);
}

function completeUpTo(seq: number): void {
  seqCounts.delete(seq);
  if (seq <= completeSeq) return;
  completeSeq = seq;
  if (!progressScheduled) {
    progressScheduled = true;
    setImmediate(sendProgress);
  }
}

function onClose(client: RawWsClient, error?: Error): void {
  if (!subscribed[client.id]) {
    batch?.onFailed(error?.message ?? 'closed before subscribing');
    return;
  }
  if (currentPhase === -1 || stalled[client.id]) return;
  closedInPhase += 1;
  healthyOpen -= 1;
  for (const [seq, count] of seqCounts) if (count >= healthyOpen) completeUpTo(seq);
}

const handlers = { onOpen, onMessage, onClose };

function connectBatch(request: ConnectRequest): Promise<ConnectResult> {
  protocol = subscriberProtocol(request.kind);
  const started = performance.now();
  const errors: string[] = [];
  let ready = 0;
  let failed = 0;
  let launched = 0;
  return new Promise((resolve) => {
    const finish = (): void => {
      batch = undefined;
      clearTimeout(timer);
      resolve({ ready, failed, errors, elapsedMs: Math.round(performance.now() - started) });
    };
    const launchNext = (): void => {
      if (launched >= request.count) return;
      const id = clients.length;
      launched += 1;
      clients.push(
        new RawWsClient({
          id,
          host: request.host,
          port: request.port,
          path: protocol?.path ?? '/',
          localAddress: request.localAddress,
          handlers,
        }),
      );
      globalIds.push(request.firstId + launched - 1);
      subscribed.push(false);
      stalled.push(false);
    };
    const settle = (): void => {
      if (ready + failed >= request.count) finish();
      else launchNext();
    };
    batch = {
      onReady: () => {
        ready += 1;
        settle();
      },
      onFailed: (error) => {
        failed += 1;
        if (errors.length < MAX_REPORTED_ERRORS && !errors.includes(error)) errors.push(error);
        settle();
      },
    };
    const timer = setTimeout(() => {
      failed = request.count - ready;
      errors.push(`timed out after ${request.timeoutMs} ms`);
      finish();
    }, request.timeoutMs);
    if (request.count === 0) finish();
    for (let i = 0; i < Math.min(request.concurrency, request.count); i += 1) launchNext();
  });
}

function sendProgress(): void {
  progressScheduled = false;
  // No healthy client here: this worker holds nobody back.
  const minSeq = healthyOpen > 0 ? completeSeq : Number.MAX_SAFE_INTEGER;
  emitEvent('progress', { delivered, minSeq });
}

function startPhase({ phase, stallEvery }: PhaseStartRequest): { healthy: number; stalled: number } {
  currentPhase = phase;
  delivered = 0;
  bytes = 0;
  closedInPhase = 0;
  lastDeliveryAt = 0;
  histogram.reset();
  let healthy = 0;
  let stalledCount = 0;
  for (let i = 0; i < clients.length; i += 1) {
    if (!subscribed[i] || clients[i].closed) continue;
    if (stallEvery > 0 && globalIds[i] % stallEvery === 0 && !stalled[i]) {
      stalled[i] = true;
      clients[i].pause();
    }
    if (stalled[i]) stalledCount += 1;
    else healthy += 1;
  }
  healthyOpen = healthy;
  seqCounts.clear();
  completeSeq = -1;
  clearInterval(progressTimer);
  progressTimer = setInterval(sendProgress, PROGRESS_INTERVAL_MS);
  return { healthy, stalled: stalledCount };
}

function stopPhase(): PhaseResult {
  clearInterval(progressTimer);
  progressTimer = undefined;
  currentPhase = -1;
  let healthy = 0;
  let stalledCount = 0;
  for (let i = 0; i < clients.length; i += 1) {
    if (!subscribed[i] || clients[i].closed) continue;
    if (stalled[i]) stalledCount += 1;
    else healthy += 1;
  }
  return {
    delivered,
    bytes,
    histogram: histogram.toSparse(),
    healthy,
    stalled: stalledCount,
    closed: closedInPhase,
    lastDeliveryAt,
  };
}

async function releaseStalled({ waitMs }: { waitMs: number }): Promise<{ released: number; closed: number }> {
  const released: number[] = [];
  for (let i = 0; i < clients.length; i += 1) {
    if (!stalled[i] || !subscribed[i]) continue;
    released.push(i);
    clients[i].socket.resume();
  }
  await new Promise((resolve) => setTimeout(resolve, released.length > 0 ? waitMs : 0));
  return { released: released.length, closed: released.filter((i) => clients[i].closed).length };
}

function disconnectAll(): { open: number } {
  let open = 0;
  for (const client of clients) {
    if (!client.closed) open += 1;
    client.destroy();
  }
  clients.length = 0;
  globalIds.length = 0;
  subscribed.length = 0;
  stalled.length = 0;
  return { open };
}

serveRequests<SubscriberWorkerProtocol>({
  connect: connectBatch,
  'phase-start': startPhase,
  'phase-stop': stopPhase,
  'release-stalled': releaseStalled,
  disconnect: disconnectAll,
});
emitEvent('ready', {});
