/**
 * One chaos run, shared by the memory and Redis suites: a fleet of SDK clients subscribed through the
 * chaos proxy to one history channel, a publisher sending `{n}` for n = 0…messages-1 at a steady pace
 * while the proxy injects faults, an optional disruption half-way (a node restart), then a quiet period
 * in which every client must converge. The result holds everything a test asserts and reports.
 */
import { createClient } from '../../src/client/node.ts';
import type { TrendStreamClient } from '../../src/client/types.ts';
import type { ChaosProxy, FaultPlan } from './chaos-proxy.ts';
import { SequenceRecorder } from './sequence-recorder.ts';

/**
 * About one fault per connection every 1.5 s. The pace (10 messages every 25 ms, ≤ 400/s) and the
 * reconnect backoff (≤ 250 ms) keep what a client misses in one outage well under the 200 kept.
 */
export const CHAOS_PLAN: FaultPlan = {
  meanIntervalMs: 1500,
  graceMs: 200,
  weights: { reset: 4, delay: 4, 'half-close-client': 1, 'half-close-server': 1 },
  delayMs: [20, 250],
};

export interface ChaosRunOptions {
  proxy: ChaosProxy;
  channel: string;
  clients: number;
  messages: number;
  /** Publishes per tick, and ticks per second: the pace. */
  batch: number;
  tickMs: number;
  plan: FaultPlan;
  /** Publishes `{n}` on `channel`; retried by the runner while it fails (a node is down). */
  publish(n: number): Promise<unknown>;
  /** Called once, when half the messages are out (e.g. restart the node). */
  midway?(): Promise<void>;
  /** How long clients get to converge once publishing and faults stopped. */
  settleMs: number;
}

export interface ChaosResult {
  recorders: SequenceRecorder[];
  messagesChecked: number;
  faults: Readonly<Record<string, number>>;
  totalFaults: number;
  connectionsAccepted: number;
  reconnects: number;
  resubscriptions: number;
  publishRetries: number;
  durationMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runChaos(options: ChaosRunOptions): Promise<ChaosResult> {
  const started = Date.now();
  const recorders: SequenceRecorder[] = [];
  const clients: TrendStreamClient[] = [];
  try {
    for (let i = 0; i < options.clients; i += 1) {
      const recorder = new SequenceRecorder();
      // Fast reconnects and a short ping: an outage must stay shorter than the channel's history.
      const client = createClient(options.proxy.wsUrl('/ws'), {
        name: `chaos-${i}`,
        baseDelayMs: 20,
        maxDelayMs: 250,
        pingIntervalMs: 1000,
        requestTimeoutMs: 2000,
        // The suites carry bare sequence numbers on `events` (its 200-entry history), not activity entries.
        checkPayloads: false,
      });
      client.on('status', recorder.onStatus);
      client.subscribe(options.channel, {
        onPublication: recorder.onPublication,
        onSubscribed: recorder.onSubscribed,
      });
      recorders.push(recorder);
      clients.push(client);
    }
    await until(() => recorders.every((r) => r.subscribedOnce), 'every client to subscribe', 10_000);

    options.proxy.start(options.plan);
    let publishRetries = 0;
    const half = Math.floor(options.messages / 2);
    for (let n = 0; n < options.messages; n += 1) {
      if (n === half && options.midway) await options.midway();
      while (!(await options.publish(n).then(succeeded, failed))) {
        publishRetries += 1;
        await sleep(20);
      }
      if ((n + 1) % options.batch === 0) await sleep(options.tickMs);
    }
    options.proxy.stop();

    await until(
      () => recorders.every((r) => r.nextExpected >= options.messages),
      'every client to receive every message',
      options.settleMs,
    ).catch(() => undefined); // the assertions below say who is missing what
    return {
      recorders,
      messagesChecked: recorders.reduce((sum, r) => sum + r.received, 0),
      faults: { ...options.proxy.faults },
      totalFaults: options.proxy.totalFaults,
      connectionsAccepted: options.proxy.acceptedCount,
      reconnects: recorders.reduce((sum, r) => sum + r.reconnects, 0),
      resubscriptions: recorders.reduce((sum, r) => sum + r.resubscriptions, 0),
      publishRetries,
      durationMs: Date.now() - started,
    };
  } finally {
    for (const client of clients) client.disconnect();
  }
}

/** One line per client that did not get exactly 0…messages-1 in order, for the failure message. */
export function describeFailures(result: ChaosResult, messages: number, seed: number): string[] {
  const lines: string[] = [];
  result.recorders.forEach((r, i) => {
    const problems: string[] = [];
    if (r.nextExpected !== messages) problems.push(`stopped at ${r.nextExpected}/${messages}`);
    if (r.violations.length > 0) problems.push(`violations ${JSON.stringify(r.violations.slice(0, 3))}`);
    if (r.unrecovered.length > 0) problems.push(`${r.unrecovered.length} resubscriptions not recovered`);
    if (problems.length > 0) lines.push(`client ${i}: ${problems.join('; ')} (seed ${seed})`);
  });
  return lines;
}

function succeeded(): boolean {
  return true;
}

function failed(): boolean {
  return false;
}

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
