import { describe, expect, it } from 'vitest';
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

describe('watch reducer', () => {
  it('watches and unwatches with a notice, in the order picked', () => {
    const state = reduce(
      initialWatchState(),
      { type: 'watch', category: 'tech' },
      { type: 'watch', category: 'music' },
    );
    expect(state.watched).toEqual(['tech', 'music']);
    expect(state.notice?.text).toBe('Subscribed to Music! Watching trends…');
    const after = watchReducer(state, { type: 'unwatch', category: 'tech' });
    expect(after.watched).toEqual(['music']);
    expect(after.notice?.text).toBe('Unsubscribed from Tech');
  });

  it('watch_all adds the missing categories once', () => {
    const state = reduce(initialWatchState(['music']), { type: 'watch_all' });
    expect(state.watched).toEqual([...TREND_CATEGORIES]);
    expect(state.notice?.text).toBe('Subscribed to Games, Fashion, Celebs, Tech, Memes, Sports, Movies');
    expect(watchReducer(state, { type: 'watch_all' })).toBe(state);
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
    expect(state.notice).toEqual({ level: 'error', text: 'Could not subscribe to Music: forbidden' });
  });
});
