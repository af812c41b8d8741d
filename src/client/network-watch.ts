/**
 * Browser hints: `offline` drops the connection at once (instead of waiting for a dead socket to time
 * out); `online` and the tab becoming visible again retry at once (instead of waiting out the backoff,
 * which a hidden tab's throttled timers stretch further). Outside a browser (no `window`) it does nothing.
 */
import { ignore } from './emitter.ts';

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** Starts calling `retry` and `offline` on those events; returns a function that stops. */
export function watchNetwork(retry: () => void, offline: () => void): () => void {
  const scope = globalThis as { window?: Partial<EventTargetLike>; document?: { visibilityState?: string } };
  const target = scope.window;
  if (typeof target?.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') {
    return ignore;
  }
  const events = target as EventTargetLike;
  // `visibilitychange` bubbles from the document to the window.
  const visible = (): void => {
    if (scope.document?.visibilityState === 'visible') retry();
  };
  const listen = (method: keyof EventTargetLike): void => {
    events[method]('online', retry);
    events[method]('offline', offline);
    events[method]('visibilitychange', visible);
  };
  listen('addEventListener');
  return () => listen('removeEventListener');
}
