/**
 * Browser connectivity hints: `offline` drops the connection at once (instead of waiting for a dead
 * socket to time out) and `online` retries at once (instead of waiting out the backoff).
 * Outside a browser (no `window`) it does nothing.
 */

export interface NetworkCallbacks {
  online(): void;
  offline(): void;
}

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** Starts listening; returns a function that stops. */
export function watchNetwork(callbacks: NetworkCallbacks): () => void {
  const target = (globalThis as { window?: Partial<EventTargetLike> }).window;
  if (typeof target?.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') {
    return function stopNothing() {};
  }
  const windowTarget = target as EventTargetLike;
  function onOnline(): void {
    callbacks.online();
  }
  function onOffline(): void {
    callbacks.offline();
  }
  windowTarget.addEventListener('online', onOnline);
  windowTarget.addEventListener('offline', onOffline);
  return function stopWatchingNetwork() {
    windowTarget.removeEventListener('online', onOnline);
    windowTarget.removeEventListener('offline', onOffline);
  };
}
