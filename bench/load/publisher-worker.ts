/**
 * The publisher process: one connection to the server under test, sending stamped messages at a
 * fixed rate (on a schedule, in batches when the timer is late) or at the maximum rate the slowest
 * healthy subscriber sustains (a window of messages ahead of what every subscriber has received).
 */
import type { PublisherProtocol, RunRequest, RunResult } from '../child-protocols.ts';
import { monotonicMicros } from '../clock.ts';
import { emitEvent, serveRequests } from '../ipc.ts';
import { encodeMessage } from './message.ts';
import { openPublishTransport, type PublishTransport } from './publish-transports.ts';

let transport: PublishTransport | undefined;
let nextSeq = 1;
/** Highest sequence number every healthy subscriber has received. */
let acked = 0;
/** Wakes the max-rate loop when an ack arrives. */
let onAck: (() => void) | undefined;

function publishOne(phase: number, messageBytes: number): void {
  if (!transport) throw new Error('publisher is not connected');
  const seq = nextSeq;
  transport.publish(() => encodeMessage({ sentAt: monotonicMicros(), phase, seq }, messageBytes));
  nextSeq += 1;
}

function runFixedRate(request: RunRequest): Promise<number> {
  const total = Math.max(1, Math.round((request.rate * request.durationMs) / 1000));
  const interval = 1000 / request.rate;
  const t0 = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1);
      while (sent < due) {
        publishOne(request.phase, request.messageBytes);
        sent += 1;
      }
      if (sent >= total) {
        resolve(sent);
        return;
      }
      setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    tick();
  });
}

function runMaxRate(request: RunRequest): Promise<number> {
  const deadline = performance.now() + request.durationMs;
  acked = nextSeq - 1;
  let sent = 0;
  return new Promise((resolve) => {
    const finish = (): void => {
      onAck = undefined;
      clearTimeout(timer);
      resolve(sent);
    };
    const pump = (): void => {
      if (performance.now() >= deadline) return finish();
      while (nextSeq - 1 - acked < request.window) {
        publishOne(request.phase, request.messageBytes);
        sent += 1;
      }
    };
    const timer = setTimeout(finish, request.durationMs);
    onAck = pump;
    pump();
  });
}

async function run(request: RunRequest): Promise<RunResult> {
  const firstSeq = nextSeq;
  const failuresBefore = transport?.failures ?? 0;
  const startedAt = monotonicMicros();
  const t0 = performance.now();
  const sent = request.rate > 0 ? await runFixedRate(request) : await runMaxRate(request);
  return {
    startedAt,
    firstSeq,
    lastSeq: nextSeq - 1,
    sent,
    elapsedMs: performance.now() - t0,
    failures: (transport?.failures ?? 0) - failuresBefore,
  };
}

serveRequests<PublisherProtocol>({
  open: async ({ kind, host, port }) => {
    transport?.close();
    transport = await openPublishTransport(kind, host, port);
    return {};
  },
  run,
  acked: ({ seq }) => {
    if (seq > acked) acked = seq;
    onAck?.();
    return undefined;
  },
  close: () => {
    transport?.close();
    transport = undefined;
    return {};
  },
});
emitEvent('ready', {});
