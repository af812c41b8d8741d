/** Webhook delivery in /metrics, registered in the server's own registry. */
import { Counter, Histogram, type Registry } from 'prom-client';
import { BACKEND_CALL_BUCKETS } from '../backend/backend-metrics.ts';

export type WebhookDropReason = 'queue_full' | 'retries_exhausted';
export type WebhookAttemptResult = 'ok' | 'status' | 'timeout' | 'network';

export class WebhookMetrics {
  /** Events delivered (answered 2xx). */
  readonly sent: Counter;
  /** Delivery attempts that failed, by reason: `status` (non-2xx), `timeout`, `network`. */
  readonly failed: Counter<'reason'>;
  /** Events lost: the queue was full (oldest first), or their batch was refused for the whole retry period. */
  readonly dropped: Counter<'reason'>;
  /** One POST to the receiver, whatever its outcome. */
  readonly requestDuration: Histogram<'result'>;
  /** From the moment a batch was formed to its 2xx, retries included. */
  readonly deliveryDuration: Histogram;

  constructor(registry: Registry) {
    this.sent = new Counter({
      name: 'trendstream_webhook_sent_total',
      help: 'Webhook events delivered to the receiver (2xx)',
      registers: [registry],
    });
    this.failed = new Counter({
      name: 'trendstream_webhook_failed_total',
      help: 'Webhook delivery attempts that failed, by reason (status, timeout, network)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.dropped = new Counter({
      name: 'trendstream_webhook_dropped_total',
      help: 'Webhook events dropped: queue full (oldest first) or retries exhausted',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.requestDuration = new Histogram({
      name: 'trendstream_webhook_request_duration_seconds',
      help: 'Latency of one webhook POST, by result',
      labelNames: ['result'],
      buckets: BACKEND_CALL_BUCKETS,
      registers: [registry],
    });
    this.deliveryDuration = new Histogram({
      name: 'trendstream_webhook_delivery_seconds',
      help: 'Time from forming a webhook batch to its successful delivery, retries included',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    for (const reason of ['queue_full', 'retries_exhausted'] satisfies WebhookDropReason[]) {
      this.dropped.inc({ reason }, 0);
    }
  }
}
