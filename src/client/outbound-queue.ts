/**
 * Publishes and RPCs made while the client is not connected wait here, in order, bounded; the client
 * drains the queue after it has resubscribed on (re)connect. Each entry keeps the caller's promise callbacks.
 */
import { ClientErrorCode, TrendStreamError, optionError } from './errors.ts';
import type { RequestFrame } from './pending-requests.ts';
import type { ServerFrame } from '../protocol/frames.ts';

export interface QueuedRequest {
  frame: RequestFrame;
  /** The request's own timeout, counted from when it is sent; undefined: `requestTimeoutMs`. */
  timeoutMs: number | undefined;
  resolve: (reply: ServerFrame) => void;
  reject: (error: TrendStreamError) => void;
}

export class OutboundQueue {
  readonly #capacity: number;
  #items: QueuedRequest[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw optionError('maxQueuedPublishes', 'a non-negative integer');
    }
    this.#capacity = capacity;
  }

  /** Queues a request and returns the promise of its reply; rejects at once with `queue_full` when full. */
  enqueue(frame: RequestFrame, timeoutMs?: number): Promise<ServerFrame> {
    if (this.#items.length >= this.#capacity) {
      return Promise.reject(
        new TrendStreamError(
          ClientErrorCode.QueueFull,
          `${frame.type} refused: ${this.#capacity} already queued (maxQueuedPublishes)`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.#items.push({ frame, timeoutMs, resolve, reject });
    });
  }

  /** Removes and returns every waiting request, oldest first. */
  drain(): QueuedRequest[] {
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
