/**
 * The webhook log shared by every node through Redis (rules in ../types.ts, scripts in
 * scripts/webhook-scripts.ts). This node holds its subscriptions under a lease it renews every
 * third of `leaseTtlMs`; the leader's `promote` ends the subscriptions of a lease left to expire (a
 * crashed node), debounced like any leave, so clients that reconnect elsewhere in time cause nothing.
 *
 * Recovery is one rule: when a write fails (Redis unreachable) or the lease turns out to be gone,
 * this node takes a new lease and rejoins every subscription it still has. Joins already recorded
 * move to the new lease without an event; the old lease expires and only what this node no longer
 * has (a leave that was never written) ends with it. A Redis that lost its data gets the node's
 * subscriptions back the same way (then announced again, since nothing is left to debounce against).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { integer, replyArray, text } from './redis-codec.ts';
import type { RedisKeys, WebhookKeys } from './redis-keys.ts';
import type { EngineLogger } from './redis-options.ts';
import type { LuaScript } from './lua-script.ts';
import {
  WEBHOOK_ACK_SCRIPT,
  WEBHOOK_APPEND_SCRIPT,
  WEBHOOK_JOIN_SCRIPT,
  WEBHOOK_KEY_ORDER,
  WEBHOOK_LEAVE_SCRIPT,
  WEBHOOK_PROMOTE_SCRIPT,
  WEBHOOK_REJOIN_SCRIPT,
  WEBHOOK_RELEASE_SCRIPT,
  WEBHOOK_RENEW_SCRIPT,
  WEBHOOK_TAKE_SCRIPT,
} from './scripts/webhook-scripts.ts';
import type {
  WebhookBatch,
  WebhookEvent,
  WebhookLog,
  WebhookLogOptions,
  WebhookSubscription,
} from '../types.ts';

/** Subscriptions per rejoin script call. */
const REJOIN_BATCH = 300;
/** Subscriptions ended and removals queued per promote script call. */
const PROMOTE_LIMIT = 1000;

export class RedisWebhookLog implements WebhookLog {
  options: WebhookLogOptions;
  readonly #keys: WebhookKeys;
  readonly #keyList: string[];
  /** This node's live subscriptions: `channel \n client` → member ('' without presence). */
  readonly #local = new Map<string, WebhookSubscription>();
  readonly #timer: NodeJS.Timeout;
  #lease = newLease();
  /** The current lease is not (known to be) registered with every local subscription: rejoin. */
  #needsRejoin = true;
  /** A renew or rejoin is in flight. */
  #busy = false;
  #closed = false;

  constructor(
    private readonly command: Redis,
    keys: RedisKeys,
    private readonly leaseTtlMs: number,
    private readonly logger: EngineLogger,
    options: WebhookLogOptions,
  ) {
    this.options = options;
    this.#keys = keys.webhooks();
    this.#keyList = WEBHOOK_KEY_ORDER.map((name) => this.#keys[name]);
    this.#timer = setInterval(() => this.#maintain(), Math.floor(leaseTtlMs / 3));
    this.#timer.unref();
    this.#maintain();
  }

  async join(subscription: WebhookSubscription): Promise<void> {
    const { channel, client, member = '' } = subscription;
    this.#local.set(`${channel}\n${client}`, { channel, client, member });
    const lease = this.#lease;
    if (this.#needsRejoin) {
      // Until the rejoin has registered the lease, joins are refused; it carries this one too.
      this.#maintain();
      return;
    }
    const dropped = await this.#write(WEBHOOK_JOIN_SCRIPT, [
      lease,
      this.options.maxQueue,
      channel,
      client,
      member,
    ]);
    if (dropped === -1) {
      // The lease was swept (this node looked dead) or never registered: take a new one.
      if (lease === this.#lease) this.#renewLease();
      return;
    }
    this.#reportDropped(dropped);
  }

  async leave(channel: string, client: string): Promise<void> {
    this.#local.delete(`${channel}\n${client}`);
    await this.#write(WEBHOOK_LEAVE_SCRIPT, [this.options.debounceMs, channel, client]);
  }

  async append(event: WebhookEvent): Promise<void> {
    const reply = await WEBHOOK_APPEND_SCRIPT.run(this.command, this.#keyList, [
      this.#keys.leaseSetPrefix,
      this.options.maxQueue,
      JSON.stringify(event),
    ]);
    this.#reportDropped(integer(reply));
  }

  async promote(): Promise<void> {
    for (;;) {
      const reply = replyArray(
        await WEBHOOK_PROMOTE_SCRIPT.run(this.command, this.#keyList, [
          this.#keys.leaseSetPrefix,
          this.options.debounceMs,
          this.options.maxQueue,
          PROMOTE_LIMIT,
        ]),
        'webhook promote',
      );
      this.#reportDropped(integer(reply[0]));
      if (integer(reply[1]) === 0) return;
    }
  }

  async take(max: number, id: string): Promise<WebhookBatch | undefined> {
    const reply = await WEBHOOK_TAKE_SCRIPT.run(this.command, this.#keyList, [
      this.#keys.leaseSetPrefix,
      max,
      id,
    ]);
    if (reply === null || reply === false) return undefined;
    const [batchId, time, events] = replyArray(reply, 'webhook take');
    return {
      id: text(batchId),
      time: integer(time),
      events: JSON.parse(text(events)) as WebhookEvent[],
    };
  }

  async ack(id: string): Promise<void> {
    await WEBHOOK_ACK_SCRIPT.run(this.command, this.#keyList, [this.#keys.leaseSetPrefix, id]);
  }

  async size(): Promise<number> {
    return this.command.llen(this.#keys.queue);
  }

  /** Stop renewing and let the next promote end whatever this node still holds (graceful shutdown). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    if (this.#needsRejoin || this.command.status !== 'ready') return;
    await WEBHOOK_RELEASE_SCRIPT.run(this.command, this.#keyList, [
      this.#keys.leaseSetPrefix,
      this.#lease,
    ]).catch(() => undefined);
  }

  /** Runs a join/leave/append script; a failure also schedules a rejoin under a new lease. */
  async #write(script: LuaScript, args: (string | number)[]): Promise<number> {
    try {
      return integer(await script.run(this.command, this.#keyList, [this.#keys.leaseSetPrefix, ...args]));
    } catch (error) {
      this.#renewLease();
      throw error;
    }
  }

  #renewLease(): void {
    this.#lease = newLease();
    this.#needsRejoin = true;
    this.#maintain();
  }

  /** Renew the lease, or rejoin everything under the current one when that is due. */
  #maintain(): void {
    if (this.#closed || this.#busy || this.command.status !== 'ready') return;
    this.#busy = true;
    (this.#needsRejoin ? this.#rejoin() : this.#renew()).then(
      () => {
        this.#busy = false;
        // A lease lost meanwhile (or found lost by the renew) is rejoined at once, not a tick later.
        if (this.#needsRejoin) this.#maintain();
      },
      (error: unknown) => {
        this.#busy = false;
        this.#needsRejoin = true;
        this.logger.warn({ err: error }, 'webhook lease not renewed; retrying');
      },
    );
  }

  async #renew(): Promise<void> {
    const lease = this.#lease;
    const held = integer(
      await WEBHOOK_RENEW_SCRIPT.run(this.command, this.#keyList, [
        this.#keys.leaseSetPrefix,
        lease,
        this.leaseTtlMs,
      ]),
    );
    if (held === 0 && lease === this.#lease) {
      this.logger.warn({}, 'webhook lease expired (this node looked dead); rejoining its subscriptions');
      this.#lease = newLease();
      this.#needsRejoin = true;
    }
  }

  /**
   * Every call is sent at once, so joins and leaves made meanwhile reach Redis after it, and the
   * lease is registered by the first call before any later join checks it.
   */
  async #rejoin(): Promise<void> {
    const lease = this.#lease;
    this.#needsRejoin = false;
    const entries = [...this.#local.values()];
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i === 0 || i < entries.length; i += REJOIN_BATCH) {
      const triples = entries
        .slice(i, i + REJOIN_BATCH)
        .flatMap(({ channel, client, member = '' }) => [channel, client, member]);
      calls.push(
        WEBHOOK_REJOIN_SCRIPT.run(this.command, this.#keyList, [
          this.#keys.leaseSetPrefix,
          lease,
          this.leaseTtlMs,
          this.options.maxQueue,
          ...triples,
        ]).then((dropped) => this.#reportDropped(integer(dropped))),
      );
    }
    try {
      await Promise.all(calls);
    } catch (error) {
      if (lease === this.#lease) this.#needsRejoin = true;
      throw error;
    }
  }

  #reportDropped(count: number): void {
    if (count > 0) this.options.onDropped?.(count);
  }
}

function newLease(): string {
  return randomBytes(9).toString('base64url');
}
