import { describe, expect, it } from 'vitest';
import { toHotAlert, toTrendsPayload } from '../../src/terminal/payload-guards.ts';

describe('payload guards', () => {
  it('keeps valid topics, fills optional fields and drops broken ones', () => {
    const payload = toTrendsPayload({
      tick: 3,
      timestamp: 'T',
      topics: [
        { id: 'a', name: '#A', category: 'music', score: 10, change: 2, history: [8, 'x', 10], hot: true },
        { name: '#B', category: 'tech', score: 5 },
        { name: '#C', category: 'cooking', score: 5 },
        { name: '#D', category: 'music', score: 'high' },
        null,
      ],
    });
    expect(payload).toEqual({
      tick: 3,
      timestamp: 'T',
      topics: [
        { id: 'a', name: '#A', category: 'music', score: 10, change: 2, history: [8, 10], hot: true },
        { id: 'tech:#B', name: '#B', category: 'tech', score: 5, change: 0, history: [], hot: false },
      ],
    });
    expect(toTrendsPayload({ topics: 'none' })).toBeUndefined();
    expect(toTrendsPayload(null)).toBeUndefined();
  });

  it('reads hot_trend activity entries and ignores the rest', () => {
    expect(
      toHotAlert({
        kind: 'hot_trend',
        message: '#A is surging',
        timestamp: 'T',
        data: { category: 'music' },
      }),
    ).toEqual({ message: '#A is surging', timestamp: 'T', category: 'music' });
    expect(toHotAlert({ kind: 'hot_trend', message: 'm', timestamp: 'T' })).toEqual({
      message: 'm',
      timestamp: 'T',
    });
    expect(toHotAlert({ kind: 'connect', message: 'someone joined' })).toBeUndefined();
    expect(toHotAlert('hot_trend')).toBeUndefined();
  });
});
