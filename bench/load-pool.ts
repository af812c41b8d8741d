/**
 * The load generator as seen from the orchestrator: subscriber worker processes plus one publisher
 * process, started once per run and pointed at each server in turn. It spreads connections over
 * the workers (each batch from its own 127.0.0.x source address, so ephemeral ports never run out),
 * aggregates their progress, and relays "everyone has seq N" to the max-rate publisher.
 */
import type {
  ConnectResult,
  PhaseResult,
  Progress,
  PublisherProtocol,
  RunRequest,
  RunResult,
  SubscriberWorkerProtocol,
} from './child-protocols.ts';
import { ChildHandle } from './ipc.ts';
import type { ServerKind } from './servers/kinds.ts';
import { Histogram } from './stats.ts';

const HOST = '127.0.0.1';
/** 127.0.0.2 … 127.0.0.254: one per connect batch, round robin. */
const SOURCE_ADDRESSES = 253;

export interface MergedPhaseResult extends Omit<PhaseResult, 'histogram'> {
  histogram: Histogram;
}

export class LoadPool {
  #nextAddress = 0;
  #nextClientId = 0;
  #progress: Progress[];
  #relayAcks = false;
  #lastAck = -1;

  private constructor(
    readonly workers: ChildHandle<SubscriberWorkerProtocol>[],
    readonly publisher: ChildHandle<PublisherProtocol>,
  ) {
    this.#progress = workers.map(() => ({ delivered: 0, minSeq: -1 }));
    workers.forEach((worker, index) => {
      worker.onEvent('progress', (body) => this.#onProgress(index, body as Progress));
    });
  }

  static async start(workerCount: number): Promise<LoadPool> {
    const workerUrl = new URL('./load/subscriber-worker.ts', import.meta.url);
    const publisherUrl = new URL('./load/publisher-worker.ts', import.meta.url);
    const workers = Array.from(
      { length: workerCount },
      () => new ChildHandle<SubscriberWorkerProtocol>(workerUrl, { execArgv: ['--max-old-space-size=2048'] }),
    );
    const publisher = new ChildHandle<PublisherProtocol>(publisherUrl);
    const all = [...workers, publisher];
    try {
      await Promise.all(all.map((child) => child.nextEvent('ready', 30_000)));
    } catch (error) {
      for (const child of all) child.kill();
      throw error;
    }
    return new LoadPool(workers, publisher);
  }

  /** Pids of the load generator's processes (workers first, then the publisher). */
  get pids(): { workers: number[]; publisher: number } {
    return { workers: this.workers.map((w) => w.pid), publisher: this.publisher.pid };
  }

  /** Total deliveries of the current phase reported so far (updated every ~25 ms). */
  get delivered(): number {
    return this.#progress.reduce((sum, p) => sum + p.delivered, 0);
  }

  async openPublisher(kind: ServerKind, port: number): Promise<void> {
    await this.publisher.request('open', { kind, host: HOST, port }, 15_000);
  }

  /** Connect `count` more subscribers, split evenly over the workers. */
  async connect(kind: ServerKind, port: number, count: number, timeoutMs: number): Promise<ConnectResult> {
    const shares = this.workers.map(
      (_, i) => Math.floor(count / this.workers.length) + (i < count % this.workers.length ? 1 : 0),
    );
    const results = await Promise.all(
      this.workers.map((worker, i) => {
        const firstId = this.#nextClientId;
        this.#nextClientId += shares[i];
        const localAddress = `127.0.0.${2 + (this.#nextAddress++ % SOURCE_ADDRESSES)}`;
        return worker.request(
          'connect',
          { kind, host: HOST, port, count: shares[i], firstId, localAddress, concurrency: 200, timeoutMs },
          timeoutMs + 10_000,
        );
      }),
    );
    return {
      ready: results.reduce((n, r) => n + r.ready, 0),
      failed: results.reduce((n, r) => n + r.failed, 0),
      errors: [...new Set(results.flatMap((r) => r.errors))],
      elapsedMs: Math.max(...results.map((r) => r.elapsedMs)),
    };
  }

  async startPhase(phase: number, stallEvery: number): Promise<{ healthy: number; stalled: number }> {
    this.#progress = this.workers.map(() => ({ delivered: 0, minSeq: -1 }));
    this.#lastAck = -1;
    const results = await Promise.all(
      this.workers.map((w) => w.request('phase-start', { phase, stallEvery })),
    );
    return {
      healthy: results.reduce((n, r) => n + r.healthy, 0),
      stalled: results.reduce((n, r) => n + r.stalled, 0),
    };
  }

  /** Publish per `request`; at max rate, subscriber progress paces the publisher. */
  async publish(request: RunRequest): Promise<RunResult> {
    this.#relayAcks = request.rate === 0;
    try {
      return await this.publisher.request('run', request, request.durationMs + 30_000);
    } finally {
      this.#relayAcks = false;
    }
  }

  async stopPhase(): Promise<MergedPhaseResult> {
    const results = await Promise.all(this.workers.map((w) => w.request('phase-stop', {})));
    const histogram = new Histogram();
    for (const r of results) histogram.merge(r.histogram);
    const sum = (pick: (r: PhaseResult) => number): number => results.reduce((n, r) => n + pick(r), 0);
    return {
      delivered: sum((r) => r.delivered),
      bytes: sum((r) => r.bytes),
      healthy: sum((r) => r.healthy),
      stalled: sum((r) => r.stalled),
      closed: sum((r) => r.closed),
      lastDeliveryAt: Math.max(...results.map((r) => r.lastDeliveryAt)),
      histogram,
    };
  }

  /** Stalled clients read again; returns how many of them the server had already closed. */
  async releaseStalled(waitMs: number): Promise<{ released: number; closed: number }> {
    const results = await Promise.all(this.workers.map((w) => w.request('release-stalled', { waitMs })));
    return {
      released: results.reduce((n, r) => n + r.released, 0),
      closed: results.reduce((n, r) => n + r.closed, 0),
    };
  }

  async disconnect(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.request('disconnect', {})));
    await this.publisher.request('close', {});
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers, this.publisher].map((child) => child.stop()));
  }

  #onProgress(index: number, progress: Progress): void {
    this.#progress[index] = progress;
    if (!this.#relayAcks) return;
    let min = Number.POSITIVE_INFINITY;
    for (const p of this.#progress) if (p.minSeq < min) min = p.minSeq;
    if (min > this.#lastAck) {
      this.#lastAck = min;
      this.publisher.notify('acked', { seq: min });
    }
  }
}
