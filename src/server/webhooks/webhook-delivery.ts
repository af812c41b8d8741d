/**
 * Delivering the webhook queue, on one node of the cluster at a time (a LeaderTask): every
 * `batchWindowMs` it queues the removals that came due and takes a batch of up to `maxBatch` events,
 * POSTs it signed, and retries a refusal (non-2xx, timeout, network) with capped exponential backoff
 * and jitter for at least `retryForMs` before giving the batch up (counted as dropped). One batch at
 * a time, so events arrive in queue order. The batch and its id live in the engine until it is
 * acknowledged: a leader that stops (or dies) mid-batch leaves it to the next one, which sends the
 * same id and body again — delivery is at least once, and receivers deduplicate by the id.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LeaderTask, WebhookBatch, WebhookLog } from '../../engine/types.ts';
import type { WebhookAttemptResult, WebhookMetrics } from './webhook-metrics.ts';
import { SIGNATURE_HEADER, signWebhookBody, WEBHOOK_ID_HEADER } from './webhook-signature.ts';

export interface WebhookDeliveryOptions {
  url: string;
  secret: string;
  /** One POST slower than this counts as failed. */
  timeoutMs: number;
  /** A refused batch is retried at least this long. */
  retryForMs: number;
  /** How long events gather before a batch is taken (also the promote interval). Default 100. */
  batchWindowMs?: number;
  /** Events per POST at most. Default 100. */
  maxBatch?: number;
  /** First retry delay and the cap of the doubling delays. Defaults 200 and 30 000. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/** One leadership term: stopping it aborts its POST and wakes its sleeps. */
interface Term {
  stopped: boolean;
  abort: AbortController;
  promoteTimer: NodeJS.Timeout;
}

export class WebhookDelivery implements LeaderTask {
  readonly #options: Required<WebhookDeliveryOptions>;
  #term: Term | undefined;

  constructor(
    private readonly log: WebhookLog,
    private readonly metrics: WebhookMetrics,
    private readonly logger: Logger,
    options: WebhookDeliveryOptions,
  ) {
    this.#options = { batchWindowMs: 100, maxBatch: 100, retryBaseMs: 200, retryMaxMs: 30_000, ...options };
  }

  start(): void {
    this.stop();
    let promoting = false;
    const term: Term = {
      stopped: false,
      abort: new AbortController(),
      promoteTimer: setInterval(() => {
        if (promoting) return;
        promoting = true;
        this.log
          .promote()
          .catch((error: unknown) =>
            this.logger.warn({ err: error }, 'webhook removals not promoted; retrying'),
          )
          .finally(() => {
            promoting = false;
          });
      }, this.#options.batchWindowMs),
    };
    term.promoteTimer.unref();
    this.#term = term;
    void this.#run(term);
  }

  stop(): void {
    const term = this.#term;
    if (!term) return;
    this.#term = undefined;
    term.stopped = true;
    clearInterval(term.promoteTimer);
    term.abort.abort();
  }

  async #run(term: Term): Promise<void> {
    const { batchWindowMs, maxBatch } = this.#options;
    while (!term.stopped) {
      let batch: WebhookBatch | undefined;
      try {
        batch = await this.log.take(maxBatch, randomUUID());
      } catch (error) {
        this.logger.warn({ err: error }, 'webhook queue unreadable; retrying');
      }
      if (term.stopped) return;
      if (!batch) {
        await sleep(batchWindowMs, term);
        continue;
      }
      if (!(await this.#deliver(batch, term))) return;
      // If this fails the batch is taken (and sent, same id) again: at least once.
      await this.log.ack(batch.id).catch((error: unknown) => {
        this.logger.warn({ err: error, webhookId: batch.id }, 'webhook batch not acknowledged; resending');
      });
    }
  }

  /** True once the batch is delivered or given up on; false when the term ended first. */
  async #deliver(batch: WebhookBatch, term: Term): Promise<boolean> {
    const { url, secret, timeoutMs, retryForMs } = this.#options;
    const body = JSON.stringify({ time_ms: batch.time, events: batch.events });
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'TrendStream-Webhooks',
      [WEBHOOK_ID_HEADER]: batch.id,
      [SIGNATURE_HEADER]: signWebhookBody(body, secret),
    };
    const firstAttempt = Date.now();
    for (let attempt = 0; ; attempt += 1) {
      const started = performance.now();
      const result = await post(url, body, headers, timeoutMs, term.abort.signal);
      if (term.stopped) return false;
      this.metrics.requestDuration.observe({ result }, (performance.now() - started) / 1000);
      if (result === 'ok') {
        this.metrics.sent.inc(batch.events.length);
        this.metrics.deliveryDuration.observe(Math.max(0, Date.now() - batch.time) / 1000);
        return true;
      }
      this.metrics.failed.inc({ reason: result });
      if (Date.now() - firstAttempt >= retryForMs) {
        this.metrics.dropped.inc({ reason: 'retries_exhausted' }, batch.events.length);
        this.logger.error(
          { webhookId: batch.id, events: batch.events.length, result, attempts: attempt + 1 },
          'webhook batch refused for the whole retry period; dropped',
        );
        return true;
      }
      if (attempt === 0) {
        this.logger.warn({ webhookId: batch.id, result }, 'webhook delivery failed; retrying with backoff');
      }
      await sleep(this.#backoff(attempt), term);
      if (term.stopped) return false;
    }
  }

  /** Doubling from `retryBaseMs`, capped at `retryMaxMs`, the upper half randomized ("equal jitter"). */
  #backoff(attempt: number): number {
    const { retryBaseMs, retryMaxMs } = this.#options;
    const ceiling = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempt, 30));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  stopped: AbortSignal,
): Promise<WebhookAttemptResult> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.any([stopped, timeout]),
    });
    await response.arrayBuffer(); // read to the end, so the keep-alive connection is reused
    return response.status >= 200 && response.status < 300 ? 'ok' : 'status';
  } catch {
    return timeout.aborted ? 'timeout' : 'network';
  }
}

function sleep(ms: number, term: Term): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    term.abort.signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      term.abort.signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
