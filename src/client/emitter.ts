/**
 * A tiny typed event emitter. The SDK bundles for the browser, so it cannot import Node's `events`.
 * A throwing listener neither stops the other listeners nor the SDK's own code path: its error is
 * rethrown on a fresh task, where the host reports it (browser console, Node uncaught exception).
 */

export type Listener<T> = (payload: T) => void;

export class Emitter<Events extends object> {
  #listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set.add(listener));
    return () => {
      set.delete(listener);
    };
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set] as Listener<Events[E]>[]) {
      invokeIsolated(listener, payload);
    }
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}

/** Calls an application callback, if any, so that its exception cannot corrupt the caller's state. */
export function invokeIsolated<T>(callback: ((payload: T) => void) | undefined, payload: T): void {
  try {
    callback?.(payload);
  } catch (error) {
    setTimeout(function rethrowListenerError() {
      throw error;
    }, 0);
  }
}

/** A callback that ignores what it is given (a socket's errors, a reply nobody waits for). */
export function ignore(): void {}
