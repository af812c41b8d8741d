import { describe, expect, it } from 'vitest';
import type { StatusEvent } from '../../src/client/types.ts';
import { TREND_CATEGORIES, type TrendCategory, type TrendTopic } from '../../src/protocol/payloads.ts';
import {
  initialWatchState,
  watchReducer,
  type WatchAction,
  type WatchState,
} from '../../src/terminal/watch-state.ts';

function topic(name: string, category: TrendCategory, score: number): TrendTopic {
  return { id: name, name, category, score, change: 0, history: [score], hot: false };
}

function reduce(state: WatchState, ...actions: WatchAction[]): WatchState {
  return actions.reduce(watchReducer, state);
}

function status(state: StatusEvent['state'], details: Partial<StatusEvent> = {}, at = 0): WatchAction {
  return { type: 'status', status: { state, previous: state, ...details }, at };
}

const CONNECTED = status('connected');

describe('watch reducer', () => {
  it('watches and unwatches with a notice, in the order picked; "Subscribed" once the hub confirms', () => {
    let state = reduce(
      initialWatchState(),
      CONNECTED,
      { type: 'watch', category: 'tech' },
      { type: 'watch', category: 'music' },
    );
    expect(state.watched).toEqual(['tech', 'music']);
    expect(state.pending).toEqual(['tech', 'music']);
    expect(state.notice?.text).toBe('Subscribing to Music…');
    state = reduce(
      state,
      { type: 'subscribed', category: 'tech' },
      { type: 'subscribed', category: 'music' },
    );
    expect(state.pending).toEqual([]);
    expect(state.notice?.text).toBe('Subscribed to Tech, Music');
    state = reduce(state, { type: 'watch', category: 'games' }, { type: 'subscribed', category: 'games' });
    expect(state.notice?.text).toBe('Subscribed to Games! Watching trends…');
    const after = watchReducer(state, { type: 'unwatch', category: 'tech' });
    expect(after.watched).toEqual(['music', 'games']);
    expect(after.notice?.text).toBe('Unsubscribed from Tech');
  });

  it('watch_all adds the missing categories once', () => {
    let state = reduce(initialWatchState(['music']), CONNECTED, { type: 'subscribed', category: 'music' });
    state = reduce(state, { type: 'watch_all' });
    expect(state.watched).toEqual([...TREND_CATEGORIES]);
    expect(state.notice?.text).toBe('Subscribing to Games, Fashion, Celebs, Tech, Memes, Sports, Movies…');
    expect(watchReducer(state, { type: 'watch_all' })).toBe(state);
    // Confirmations come in any order; the notice names them in the order they are watched.
    for (const category of [...TREND_CATEGORIES].reverse()) {
      state = watchReducer(state, { type: 'subscribed', category });
    }
    expect(state.notice?.text).toBe('Subscribed to Games, Fashion, Celebs, Tech, Memes, Sports, Movies');
  });

  it('offline, a category key queues the subscription and says so; confirmed when it really is', () => {
    let state = reduce(
      initialWatchState(['tech']),
      CONNECTED,
      { type: 'subscribed', category: 'tech' },
      status('reconnecting', { previous: 'connected', code: 1012, reason: 'server restarting' }),
      { type: 'watch', category: 'music' },
    );
    expect(state.notice?.text).toBe('Music: queued, subscribes when connected');
    state = watchReducer(state, { type: 'watch', category: 'games' });
    expect(state.notice?.text).toBe('Music, Games: queued, subscribe when connected');
    // A resubscription of what was already live announces nothing.
    state = reduce(state, CONNECTED, { type: 'subscribed', category: 'tech' });
    expect(state.notice?.text).toBe('Music, Games: queued, subscribe when connected');
    state = watchReducer(state, { type: 'subscribed', category: 'games' });
    expect(state.notice?.text).toBe('Music, Games: queued, subscribe when connected');
    state = watchReducer(state, { type: 'subscribed', category: 'music' });
    expect(state.notice?.text).toBe('Subscribed to Music, Games');
  });

  it('a subscribe still on its way when the connection drops is queued again; unwatching it unqueues', () => {
    let state = reduce(initialWatchState(), CONNECTED, { type: 'watch', category: 'tech' });
    expect(state.notice?.text).toBe('Subscribing to Tech…');
    state = watchReducer(state, status('reconnecting', { previous: 'connected', code: 1006 }));
    expect(state.notice?.text).toBe('Tech: queued, subscribes when connected');
    state = watchReducer(state, { type: 'unwatch', category: 'tech' });
    expect(state.notice?.text).toBe('Tech: no longer queued');
    expect(state.pending).toEqual([]);
  });

  it('marks the data stale from the moment the connection drops until it is back', () => {
    let state = reduce(initialWatchState(['tech']), status('connected', {}, 1000));
    expect(state.staleSince).toBeUndefined();
    state = reduce(
      state,
      status('reconnecting', { previous: 'connected', attempt: 1, code: 1012 }, 5000),
      status('reconnecting', { attempt: 2, code: 1006 }, 6000),
      status('reconnecting', { attempt: 3, code: 1006 }, 8000),
    );
    expect(state.staleSince).toBe(5000);
    expect(watchReducer(state, status('connected', {}, 9000)).staleSince).toBeUndefined();
    // Never connected: nothing on screen was ever live, so nothing is stale.
    expect(watchReducer(initialWatchState(), status('reconnecting', { code: 1006 }, 1)).staleSince).toBe(
      undefined,
    );
  });

  it('keeps why the connection dropped across failed retries, until connected again', () => {
    let state = reduce(
      initialWatchState(),
      CONNECTED,
      status('reconnecting', { previous: 'connected', code: 1012, reason: 'server restarting' }),
    );
    const restart = { code: 1012, reason: 'server restarting', wasConnected: true };
    expect(state.dropCause).toEqual(restart);
    // Retries against a hub that is not back yet only report 1006 (no close frame) or a timeout.
    state = reduce(
      state,
      status('reconnecting', { code: 1006 }),
      status('connecting'),
      status('reconnecting', { reason: 'connect timeout' }),
    );
    expect(state.dropCause).toEqual(restart);
    // A close code the hub sent on a retry says more, and replaces it.
    state = watchReducer(state, status('reconnecting', { code: 1013, reason: 'backend unavailable' }));
    expect(state.dropCause).toMatchObject({ code: 1013 });
    expect(watchReducer(state, CONNECTED).dropCause).toBeUndefined();
    // A hub that never answered.
    expect(watchReducer(initialWatchState(), status('reconnecting', { code: 1006 })).dropCause).toEqual({
      code: 1006,
      wasConnected: false,
    });
  });

  it('keeps trends of watched categories only, and drops them on unwatch', () => {
    const payload = {
      tick: 7,
      timestamp: '2025-01-01T00:00:00Z',
      topics: [topic('#a', 'music', 5), topic('#b', 'tech', 9)],
    };
    const state = reduce(
      initialWatchState(['music']),
      { type: 'trends', category: 'music', payload, at: 1000 },
      { type: 'trends', category: 'tech', payload, at: 2000 },
    );
    expect(state.topics.music?.map((t) => t.name)).toEqual(['#a']);
    expect(state.topics.tech).toBeUndefined();
    expect(state.tick).toBe(7);
    expect(state.updatedAt).toEqual({ music: 1000 });
    expect(watchReducer(state, { type: 'unwatch', category: 'music' }).topics.music).toBeUndefined();
  });

  it('shows alerts of watched or unnamed categories only', () => {
    const state = initialWatchState(['music']);
    const techAlert = { message: 'tech surge', timestamp: 't', category: 'tech' as const };
    expect(watchReducer(state, { type: 'alert', alert: techAlert })).toBe(state);
    const musicAlert = { message: 'music surge', timestamp: 't', category: 'music' as const };
    expect(watchReducer(state, { type: 'alert', alert: musicAlert }).alert).toEqual(musicAlert);
    expect(
      watchReducer(state, { type: 'alert', alert: { message: 'x', timestamp: 't' } }).alert?.message,
    ).toBe('x');
  });

  it('un-watches a category whose subscription failed, with an error notice', () => {
    const state = watchReducer(initialWatchState(['music', 'tech']), {
      type: 'subscribe_failed',
      category: 'music',
      message: 'forbidden',
    });
    expect(state.watched).toEqual(['tech']);
    expect(state.pending).toEqual(['tech']);
    expect(state.notice).toEqual({ level: 'error', text: 'Could not subscribe to Music: forbidden' });
  });
});
