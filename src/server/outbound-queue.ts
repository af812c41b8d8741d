/**
 * The outbound path of one connection, where backpressure lives.
 *
 * Frames arrive already serialized and WebSocket-framed (shared by all subscribers) and are written
 * straight to the TCP socket: the frames queued for a connection during one event-loop turn go out as
 * one write. When the socket has more than `highWaterBytes` in flight the client is slow: frames wait
 * here, latest-value channels keep only their newest frame (conflation), and once more than
 * `maxQueuedBytes` wait the connection is given up (4000 slow consumer; it recovers from history on
 * reconnect). Nothing here ever blocks the fan-out loop, so a stalled client cannot delay others.
 */
import type { Socket } from 'node:net';

export interface OutboundLimits {
  socketHighWaterBytes: number;
  maxQueuedBytes: number;
}

export interface OutboundEvents {
  /** The client fell too far behind: the connection must be closed. */
  onOverflow(): void;
  onConflated(): void;
  onBytesWritten(bytes: number): void;
}

/** Runs every dirty queue's flush once per event-loop turn. One per server. */
export class FlushScheduler {
  #dirty: OutboundQueue[] = [];
  #spare: OutboundQueue[] = [];
  #scheduled = false;

  schedule(queue: OutboundQueue): void {
    this.#dirty.push(queue);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
  }

  #run = (): void => {
    this.#scheduled = false;
    // Swap two arrays instead of allocating one per turn: this runs on every publication.
    const dirty = this.#dirty;
    this.#dirty = this.#spare;
    for (const queue of dirty) queue.flush();
    dirty.length = 0;
    this.#spare = dirty;
  };
}

export class OutboundQueue {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** While slow: latest-value channel → index of its frame in #pending (created on first need). */
  #conflatable: Map<string, number> | undefined;
  #scheduled = false;
  #waitingForDrain = false;
  #closed = false;
  /** Created the first time the client is slow: most connections never need it. */
  #onDrain: (() => void) | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly limits: OutboundLimits,
    private readonly scheduler: FlushScheduler,
    private readonly events: OutboundEvents,
  ) {}

  get queuedBytes(): number {
    return this.#pendingBytes;
  }

  /** Queue a frame; with `conflateKey`, a newer frame of the same key replaces it while the client is slow. */
  push(frame: Buffer, conflateKey?: string): void {
    if (this.#closed) return;
    if (this.#waitingForDrain && conflateKey !== undefined) {
      this.#conflatable ??= new Map();
      const index = this.#conflatable.get(conflateKey);
      if (index !== undefined) {
        this.#pendingBytes += frame.length - this.#pending[index].length;
        this.#pending[index] = frame;
        this.events.onConflated();
        return;
      }
      this.#conflatable.set(conflateKey, this.#pending.length);
    }
    this.#pending.push(frame);
    this.#pendingBytes += frame.length;
    if (this.#pendingBytes > this.limits.maxQueuedBytes) {
      this.close();
      this.events.onOverflow();
      return;
    }
    if (!this.#scheduled && !this.#waitingForDrain) {
      this.#scheduled = true;
      this.scheduler.schedule(this);
    }
  }

  /** Write everything pending in one syscall (called by the scheduler, or on drain). */
  flush(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    if (this.#closed || this.#waitingForDrain || pending.length === 0) return;
    const socket = this.socket;
    if (socket.destroyed || !socket.writable) return this.close();
    const bytes = this.#pendingBytes;
    if (pending.length === 1) {
      socket.write(pending[0]);
    } else {
      // Corked writes leave as one writev: no copy of the shared frames.
      socket.cork();
      for (const frame of pending) socket.write(frame);
      socket.uncork();
    }
    pending.length = 0;
    this.#pendingBytes = 0;
    this.#conflatable?.clear();
    this.events.onBytesWritten(bytes);
    if (socket.writableLength > this.limits.socketHighWaterBytes) {
      this.#waitingForDrain = true;
      this.#onDrain ??= () => {
        this.#waitingForDrain = false;
        this.flush();
      };
      socket.once('drain', this.#onDrain);
    }
  }

  /** Drop what is pending and accept nothing more (the connection is closing). */
  close(): void {
    this.#closed = true;
    this.#pending.length = 0;
    this.#pendingBytes = 0;
    this.#conflatable = undefined;
    if (this.#onDrain) this.socket.off('drain', this.#onDrain);
  }
}
