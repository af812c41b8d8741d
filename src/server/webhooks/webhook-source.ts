/**
 * Where webhook facts come from: the hub's subscription hooks, turned into WebhookLog calls.
 * Subscriptions are told to the log as they go live and end; the log decides occupancy, membership
 * and debounce cluster-wide. (Client publications need no hook: the engine queues their events in
 * the publish itself, see PublishOptions.publicationWebhook, which keeps them in seq order.)
 * Hooks are never awaited: a failed write is logged, and the engine's log recovers by itself.
 */
import type { Logger } from 'pino';
import type { WebhookLog } from '../../engine/types.ts';
import { webhookMemberKey } from '../../engine/webhook-events.ts';
import type { HubClient, HubHooks } from '../hub.ts';
import type { ResolvedChannel } from '../namespaces.ts';

export type WebhookHooks = Required<Pick<HubHooks, 'onSubscribe' | 'onUnsubscribe'>>;

export class WebhookSource {
  /** `client id \n channel` of the subscriptions told to the log as live. */
  readonly #live = new Set<string>();
  readonly hooks: WebhookHooks;

  constructor(
    private readonly log: WebhookLog,
    private readonly logger: Logger,
  ) {
    this.hooks = {
      onSubscribe: (client, resolved) => this.#joined(client, resolved),
      onUnsubscribe: (client, resolved) => this.#left(client, resolved),
    };
  }

  #joined(client: HubClient, { channel, options }: ResolvedChannel): void {
    // Gone again before the hook ran (the client left while presence was written): nothing to join.
    if (!client.subscriptions.has(channel)) return;
    const key = `${client.info.id}\n${channel}`;
    if (this.#live.has(key)) return;
    this.#live.add(key);
    const subscription = { channel, client: client.info.id };
    const joined = options.presence
      ? this.log.join({ ...subscription, member: webhookMemberKey(client.info) })
      : this.log.join(subscription);
    this.#report(joined, 'join', channel);
  }

  #left(client: HubClient, { channel }: ResolvedChannel): void {
    if (!this.#live.delete(`${client.info.id}\n${channel}`)) return;
    this.#report(this.log.leave(channel, client.info.id), 'leave', channel);
  }

  #report(write: Promise<void>, fact: string, channel: string): void {
    write.catch((error: unknown) => {
      this.logger.warn({ err: error, fact, channel }, 'webhook fact not recorded; the log resynchronizes');
    });
  }
}
