/**
 * The receiving side of the Redis broker: one pub/sub subscription per channel per node, and the
 * promise that this node's handler sees each channel's publications once and in seq order.
 *
 * Pub/sub is at-most-once: while the subscriber connection is down, messages are lost. So every
 * channel keeps a cursor (last delivered epoch and seq); a publication that skips ahead, or a
 * reconnect, triggers a catch-up from history, while live messages queue behind it. Duplicates
 * (a catch-up overlapping live messages) are dropped by seq. A new epoch is passed on as is: the
 * stream was lost, and subscribers must resynchronise.
 */
import type { Redis } from 'ioredis';
import { decodeChannelEvent } from './redis-codec.ts';
import type { RedisKeys } from './redis-keys.ts';
import type { EngineLogger } from './redis-options.ts';
import type { BrokerEventHandler, HistoryResult, Publication, StreamPosition } from '../types.ts';

/** What the fan-out reads from the command side: gap fillers and the position at subscribe time. */
export interface FanoutReads {
  /** Everything stored after `since`, without any TTL cut. */
  after(channel: string, since: StreamPosition): Promise<HistoryResult>;
  position(channel: string): Promise<StreamPosition>;
}

interface Cursor {
  /** Undefined only until the position read at subscribe time (or the first publication) sets it. */
  epoch: string | undefined;
  seq: number;
  /** Set while catching up: live publications wait here, in arrival order. */
  queue: Publication[] | undefined;
}

const SUBSCRIBE_BATCH = 500;
const CATCH_UP_ATTEMPTS = 6;

export class RedisFanout {
  readonly #cursors = new Map<string, Cursor>();
  #handler: BrokerEventHandler | undefined;

  constructor(
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    private readonly reads: FanoutReads,
    private readonly logger: EngineLogger,
  ) {
    subscriber.on('message', (pubsubChannel: string, message: string) =>
      this.#onMessage(pubsubChannel, message),
    );
    subscriber.on('ready', () => {
      this.#resubscribeAll().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'redis resubscribe failed; retrying on the next reconnect');
        subscriber.disconnect(true);
      });
    });
  }

  setHandler(handler: BrokerEventHandler): void {
    this.#handler = handler;
  }

  /**
   * Resolves once Redis confirmed the subscription (every later publication will be delivered) and
   * the cursor holds the position at that moment, so even a quiet channel can be caught up after a
   * reconnect. Publications up to that position may be skipped: whoever subscribes through this
   * node reads its own starting position after this resolves, which is at least as new.
   */
  async subscribe(channel: string): Promise<void> {
    if (this.#cursors.has(channel)) return;
    if (this.subscriber.status !== 'ready') throw new Error('Redis is unreachable; cannot subscribe now');
    const cursor: Cursor = { epoch: undefined, seq: 0, queue: undefined };
    this.#cursors.set(channel, cursor);
    try {
      await this.subscriber.subscribe(this.keys.events(channel));
      const position = await this.reads.position(channel);
      if (cursor.epoch === undefined) {
        cursor.epoch = position.epoch;
        cursor.seq = position.seq;
      }
    } catch (error) {
      if (this.#cursors.get(channel) === cursor) this.#cursors.delete(channel);
      throw error;
    }
  }

  async unsubscribe(channel: string): Promise<void> {
    if (!this.#cursors.delete(channel)) return;
    // While disconnected there is nothing to undo: a reconnect only resubscribes known channels.
    if (this.subscriber.status === 'ready') await this.subscriber.unsubscribe(this.keys.events(channel));
  }

  subscribedChannels(): string[] {
    return [...this.#cursors.keys()];
  }

  #onMessage(pubsubChannel: string, message: string): void {
    const channel = this.keys.channelOfEvents(pubsubChannel);
    const cursor = channel === undefined ? undefined : this.#cursors.get(channel);
    if (channel === undefined || !cursor) return;
    let event;
    try {
      event = decodeChannelEvent(channel, message);
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'undecodable message on a channel; dropped');
      return;
    }
    if (!event) return;
    if (event.kind === 'publication') {
      this.#accept(channel, cursor, event.publication);
      return;
    }
    try {
      this.#handler?.onBroadcast(channel, event.frame);
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'broadcast handler failed');
    }
  }

  #accept(channel: string, cursor: Cursor, publication: Publication): void {
    if (cursor.queue) {
      cursor.queue.push(publication);
      return;
    }
    if (cursor.epoch === publication.epoch) {
      if (publication.seq <= cursor.seq) return;
      if (publication.seq > cursor.seq + 1) {
        cursor.queue = [publication];
        this.#startCatchUp(channel, cursor);
        return;
      }
    }
    this.#deliver(cursor, publication);
  }

  #deliver(cursor: Cursor, publication: Publication): void {
    cursor.epoch = publication.epoch;
    cursor.seq = publication.seq;
    try {
      this.#handler?.onPublication(publication);
    } catch (error) {
      this.logger.warn({ err: error, channel: publication.channel }, 'publication handler failed');
    }
  }

  #startCatchUp(channel: string, cursor: Cursor): void {
    this.#catchUp(channel, cursor).catch((error: unknown) => {
      cursor.queue = undefined;
      this.logger.warn({ err: error, channel }, 'catching up failed');
    });
  }

  /** Deliver what history holds after the cursor, then the queued live publications. */
  async #catchUp(channel: string, cursor: Cursor): Promise<void> {
    let filled = false;
    if (cursor.epoch !== undefined) {
      const since = { epoch: cursor.epoch, seq: cursor.seq };
      const result = await this.#readWithRetry(channel, since);
      if (this.#cursors.get(channel) !== cursor) return;
      if (result?.recovered) {
        filled = true;
        const missed = result.publications.filter((publication) => publication.seq > cursor.seq);
        for (const publication of missed) this.#deliver(cursor, publication);
        if (missed.length > 0) this.logger.info({ channel, count: missed.length }, 'caught up from history');
      } else if (result) {
        this.logger.warn({ channel, since }, 'history no longer covers a gap in the live stream');
      }
    }
    const queued = cursor.queue ?? [];
    cursor.queue = undefined;
    for (const publication of queued) {
      if (filled) this.#accept(channel, cursor, publication);
      else if (publication.epoch !== cursor.epoch || publication.seq > cursor.seq)
        this.#deliver(cursor, publication);
    }
  }

  async #readWithRetry(channel: string, since: StreamPosition): Promise<HistoryResult | undefined> {
    for (let attempt = 0; attempt < CATCH_UP_ATTEMPTS; attempt += 1) {
      try {
        return await this.reads.after(channel, since);
      } catch (error) {
        if (attempt === CATCH_UP_ATTEMPTS - 1) {
          this.logger.warn({ err: error, channel }, 'catching up from history failed');
          return undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
        if (!this.#cursors.has(channel)) return undefined;
      }
    }
    return undefined;
  }

  async #resubscribeAll(): Promise<void> {
    const channels = [...this.#cursors.keys()];
    for (let i = 0; i < channels.length; i += SUBSCRIBE_BATCH) {
      const batch = channels.slice(i, i + SUBSCRIBE_BATCH).map((channel) => this.keys.events(channel));
      await this.subscriber.subscribe(...batch);
    }
    if (channels.length > 0) this.logger.info({ channels: channels.length }, 'redis channels resubscribed');
    for (const [channel, cursor] of this.#cursors) {
      if (cursor.queue || cursor.epoch === undefined) continue;
      cursor.queue = [];
      this.#startCatchUp(channel, cursor);
    }
  }
}
