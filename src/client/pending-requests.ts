/**
 * Requests awaiting a reply, by id. Replies are settled synchronously, in the same tick as the frame
 * that carries them: a `subscribed` reply must update the subscription before the publications that
 * follow it in the same socket read are routed.
 */
import { ClientErrorCode, TrendStreamError, serverError } from './errors.ts';
import type { ClientFrame, ServerFrame } from '../protocol/frames.ts';

/** A client frame before the client gives it its request id. */
export type RequestFrame = ClientFrame extends infer F
  ? F extends ClientFrame
    ? Omit<F, 'id'>
    : never
  : never;

export type RequestOutcome = { ok: true; frame: ServerFrame } | { ok: false; error: TrendStreamError };
export type SettleRequest = (outcome: RequestOutcome) => void;

interface Pending {
  settle: SettleRequest;
  timer: ReturnType<typeof setTimeout>;
}

export class PendingRequests {
  #pending = new Map<string, Pending>();
  #nextId = 1;

  /** Registers a request; `settle` runs exactly once: on the reply, the timeout, or `failAll`. */
  create(timeoutMs: number, settle: SettleRequest): string {
    const id = `r${this.#nextId++}`;
    const timer = setTimeout(() => {
      this.fail(id, new TrendStreamError(ClientErrorCode.Timeout, `no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    this.#pending.set(id, { settle, timer });
    return id;
  }

  /** Settles the request a frame answers; `error` frames fail it. False when no request has this id. */
  resolve(id: string | undefined, frame: ServerFrame): boolean {
    if (id === undefined || !this.#pending.has(id)) return false;
    this.#settle(id, frame.type === 'error' ? { ok: false, error: serverError(frame) } : { ok: true, frame });
    return true;
  }

  fail(id: string, error: TrendStreamError): void {
    this.#settle(id, { ok: false, error });
  }

  /** Fails every request, e.g. when the connection is lost. */
  failAll(error: TrendStreamError): void {
    for (const id of [...this.#pending.keys()]) this.fail(id, error);
  }

  get size(): number {
    return this.#pending.size;
  }

  #settle(id: string, outcome: RequestOutcome): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.settle(outcome);
  }
}
