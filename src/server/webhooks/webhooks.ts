/**
 * Webhooks of one node, put together: the event source (hub hooks → the engine's WebhookLog; client
 * publications are queued by the engine's publish) on every node, and delivery (signed, batched, retried) on the one node leading `webhooks`.
 * Created by start-server.ts when `webhookUrl` is set.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Engine } from '../../engine/types.ts';
import type { ServerConfig } from '../config.ts';
import { WebhookDelivery } from './webhook-delivery.ts';
import { WebhookMetrics } from './webhook-metrics.ts';
import { WebhookSource, type WebhookHooks } from './webhook-source.ts';

export class Webhooks {
  readonly hooks: WebhookHooks;
  #release: (() => void) | undefined;

  /** Starts at once: this node records facts, and delivers while it leads. */
  constructor(config: ServerConfig, engine: Engine, registry: Registry, logger: Logger) {
    const log = logger.child({ component: 'webhooks' });
    const metrics = new WebhookMetrics(registry);
    const webhookLog = engine.webhookLog({
      debounceMs: config.webhookDebounceMs,
      maxQueue: config.webhookMaxQueue,
      onDropped: (count) => {
        metrics.dropped.inc({ reason: 'queue_full' }, count);
        log.warn({ dropped: count }, 'webhook queue full; oldest events dropped');
      },
    });
    this.hooks = new WebhookSource(webhookLog, log).hooks;
    const delivery = new WebhookDelivery(webhookLog, metrics, log, {
      url: config.webhookUrl,
      secret: config.webhookSecret,
      timeoutMs: config.proxyTimeoutMs,
      retryForMs: config.webhookRetryForMs,
    });
    this.#release = engine.runAsLeader('webhooks', delivery);
  }

  /** Stop delivering here (another node takes over); facts already recorded stay in the engine. */
  stop(): void {
    this.#release?.();
    this.#release = undefined;
  }
}
