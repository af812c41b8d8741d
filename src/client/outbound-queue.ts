/**
 * Publishes made while the client is not connected wait here, in order, bounded; the client drains
 * the queue after it has resubscribed on (re)connect. Each entry keeps the caller's promise callbacks.
 */
import { ClientErrorCode, TrendStreamError } from './errors.ts';
import type { PublishAck } from './types.ts';

export interface QueuedPublish {
  channel: string;
  data: unknown;
  resolve: (ack: PublishAck) => void;
  reject: (error: TrendStreamError) => void;
}

export class OutboundQueue {
  readonly #capacity: number;
  #items: QueuedPublish[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError('maxQueuedPublishes must be a non-negative integer');
    }
    this.#capacity = capacity;
  }

  /** Queues a publish and returns its promise; rejects at once with `queue_full` when full. */
  enqueue(channel: string, data: unknown): Promise<PublishAck> {
    if (this.#items.length >= this.#capacity) {
      return Promise.reject(
        new TrendStreamError(
          ClientErrorCode.QueueFull,
          `publish to ${channel} refused: ${this.#capacity} publishes already wait for the connection (maxQueuedPublishes)`,
        ),
      );
    }
    return new Promise<PublishAck>((resolve, reject) => {
      this.#items.push({ channel, data, resolve, reject });
    });
  }

  /** Removes and returns every waiting publish, oldest first. */
  drain(): QueuedPublish[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }

  rejectAll(error: TrendStreamError): void {
    for (const item of this.drain()) item.reject(error);
  }

  get length(): number {
    return this.#items.length;
  }
}
