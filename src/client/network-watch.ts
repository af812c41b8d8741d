/**
 * Browser connectivity hints: `offline` drops the connection at once (instead of waiting for a dead
 * socket to time out) and `online` retries at once (instead of waiting out the backoff).
 * Outside a browser (no `window`) it does nothing.
 */
import { ignore } from './emitter.ts';

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** Starts calling `online` and `offline` on those events; returns a function that stops. */
export function watchNetwork(online: () => void, offline: () => void): () => void {
  const target = (globalThis as { window?: Partial<EventTargetLike> }).window;
  if (typeof target?.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') {
    return ignore;
  }
  const events = target as EventTargetLike;
  const listen = (method: keyof EventTargetLike): void => {
    events[method]('online', online);
    events[method]('offline', offline);
  };
  listen('addEventListener');
  return () => listen('removeEventListener');
}
