/**
 * A tiny external store around watchReducer: the SDK callbacks dispatch into it from outside
 * React, and the Ink app reads it with useSyncExternalStore.
 */
import { watchReducer, type WatchAction, type WatchState } from './watch-state.ts';

export interface WatchStore {
  getState: () => WatchState;
  dispatch: (action: WatchAction) => void;
  /** Call `listener` after every change; returns the unsubscribe function. */
  subscribe: (listener: () => void) => () => void;
}

export function createWatchStore(initial: WatchState): WatchStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: function getState() {
      return state;
    },
    dispatch: function dispatch(action) {
      const next = watchReducer(state, action);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe: function subscribe(listener) {
      listeners.add(listener);
      return function unsubscribe() {
        listeners.delete(listener);
      };
    },
  };
}
