import { describe, expect, it } from 'vitest';
import type { ActivityPayload } from '../../src/protocol/payloads.ts';
import { toHotAlert } from '../../src/terminal/hot-alert.ts';

const entry = (overrides: Partial<ActivityPayload>): ActivityPayload => ({
  id: 'e1',
  level: 'warn',
  kind: 'hot_trend',
  message: '#A is surging',
  timestamp: 'T',
  ...overrides,
});

describe('hot alerts', () => {
  it('reads hot_trend activity entries, with the category when the data names one', () => {
    const data = { id: 'a', name: '#A', category: 'music', score: 9, previous_score: 5, rise_percent: 80 };
    expect(toHotAlert(entry({ data }))).toEqual({
      message: '#A is surging',
      timestamp: 'T',
      category: 'music',
    });
    expect(toHotAlert(entry({ data: { category: 'cooking' } }))).toEqual({
      message: '#A is surging',
      timestamp: 'T',
    });
  });

  it('ignores every other kind of entry', () => {
    expect(toHotAlert(entry({ kind: 'connect', message: 'someone joined' }))).toBeUndefined();
  });
});
