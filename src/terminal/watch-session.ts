/**
 * Binds the SDK client to the watch store: one `trends:<category>` subscription per watched
 * category (the server filters), the `events` channel for hot-trend alerts, and the client's
 * status and client-count events. Key presses become toggle / watchAll calls here. A subscribe
 * made offline waits in the SDK until it connects; the store hears of it when the hub confirms.
 */
import type { Subscription, TrendStreamClient } from '../client/types.ts';
import { Channel, trendCategoryChannel } from '../protocol/channels.ts';
import { TREND_CATEGORIES, type TrendCategory, type TrendsPayload } from '../protocol/payloads.ts';
import { toHotAlert } from './hot-alert.ts';
import type { WatchStore } from './watch-store.ts';

export interface WatchSession {
  /** Subscribe when not watched, unsubscribe when watched. */
  toggle(category: TrendCategory): void;
  /** Subscribe every category not watched yet. */
  watchAll(): void;
  /** Drop all subscriptions and listeners (the client itself is closed by its owner). */
  dispose(): void;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createWatchSession(client: TrendStreamClient, store: WatchStore): WatchSession {
  const subscriptions = new Map<TrendCategory, Subscription>();

  // The SDK checks every payload against the channel catalogue: what arrives here is a TrendsPayload.
  function onTrendsData(category: TrendCategory, subscription: Subscription, payload: TrendsPayload): void {
    if (subscriptions.get(category) !== subscription) return;
    store.dispatch({ type: 'trends', category, payload, at: Date.now() });
  }

  function subscribeCategory(category: TrendCategory): void {
    if (subscriptions.has(category)) return;
    const subscription: Subscription = client.subscribe(trendCategoryChannel(category), {
      onSubscribed: function onCategorySubscribed(info) {
        if (subscriptions.get(category) !== subscription) return;
        // Confirmed first: the notice says "Subscribed" only now, not when the key was pressed.
        store.dispatch({ type: 'subscribed', category });
        if (info.snapshot !== undefined) onTrendsData(category, subscription, info.snapshot);
      },
      onPublication: function onCategoryPublication(publication) {
        onTrendsData(category, subscription, publication.data);
      },
      onError: function onCategoryError(error: Error) {
        if (subscriptions.get(category) !== subscription) return;
        subscriptions.delete(category);
        store.dispatch({ type: 'subscribe_failed', category, message: errorMessage(error) });
      },
    });
    subscriptions.set(category, subscription);
  }

  function unsubscribeCategory(category: TrendCategory): void {
    const subscription = subscriptions.get(category);
    if (subscription === undefined) return;
    subscriptions.delete(category);
    subscription.unsubscribe().catch(function ignoreUnsubscribeError() {
      // Offline or already gone: the server forgets the subscription with the connection.
    });
  }

  const events = client.subscribe(Channel.Events, {
    onPublication: function onEventPublication(publication) {
      const alert = toHotAlert(publication.data);
      if (alert !== undefined) store.dispatch({ type: 'alert', alert });
    },
  });
  const offStatus = client.on('status', function onStatus(status) {
    store.dispatch({ type: 'status', status, at: Date.now() });
  });
  const offCount = client.on('client_count', function onClientCount(count) {
    store.dispatch({ type: 'client_count', count });
  });
  store.dispatch({
    type: 'status',
    status: { state: client.state, previous: client.state },
    at: Date.now(),
  });
  for (const category of store.getState().watched) {
    subscribeCategory(category);
  }

  return {
    toggle: function toggle(category) {
      if (subscriptions.has(category)) {
        unsubscribeCategory(category);
        store.dispatch({ type: 'unwatch', category });
      } else {
        // Watch first, so the snapshot that may follow synchronously is not dropped as unwatched.
        store.dispatch({ type: 'watch', category });
        subscribeCategory(category);
      }
    },
    watchAll: function watchAll() {
      store.dispatch({ type: 'watch_all' });
      for (const category of TREND_CATEGORIES) subscribeCategory(category);
    },
    dispose: function dispose() {
      offStatus();
      offCount();
      for (const category of [...subscriptions.keys()]) unsubscribeCategory(category);
      events.unsubscribe().catch(function ignoreUnsubscribeError() {
        // Closing anyway.
      });
    },
  };
}
