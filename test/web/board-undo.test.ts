/**
 * The whiteboard's undo helpers without a browser: re-sent strokes join the segments of one line
 * (same brush, continuing where the last ended, within the point bound) and keep everything else
 * apart; re-sending retries a refused stroke and counts the ones that never went.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BoardStroke } from '../../src/protocol/payloads.ts';
import { joinSegments, resendStrokes } from '../../src/web/whiteboard/board-undo.ts';

function stroke(points: Array<[number, number]>, color = '#e03131', size = 6): BoardStroke {
  return { op: 'stroke', points, color, size };
}

describe('joinSegments', () => {
  it('joins the segments of one line and keeps other strokes apart', () => {
    const line = [
      stroke([
        [0, 0],
        [10, 0],
      ]),
      stroke([
        [10, 0],
        [20, 5],
      ]),
      stroke([
        [20, 5],
        [30, 5],
      ]),
    ];
    const otherColour = stroke(
      [
        [30, 5],
        [40, 5],
      ],
      '#1c7ed6',
    );
    const gap = stroke([
      [50, 5],
      [60, 5],
    ]);
    const dot = stroke([[60, 5]]);
    const joined = joinSegments([...line, otherColour, gap, dot]);
    expect(joined).toEqual([
      stroke([
        [0, 0],
        [10, 0],
        [20, 5],
        [30, 5],
      ]),
      otherColour,
      gap,
      dot,
    ]);
    // The input is left as it was.
    expect(line[0].points).toHaveLength(2);
  });

  it('starts a new stroke when a joined one would exceed the point bound', () => {
    const segments: BoardStroke[] = [];
    for (let i = 0; i < 60; i += 1) {
      segments.push(stroke(Array.from({ length: 21 }, (_, k): [number, number] => [i * 20 + k, 0])));
    }
    const joined = joinSegments(segments);
    expect(joined.length).toBeGreaterThan(1);
    for (const part of joined) expect(part.points.length).toBeLessThanOrEqual(500);
    expect(joined.reduce((n, part) => n + part.points.length, 0)).toBe(60 * 20 + joined.length);
  });
});

describe('resendStrokes', () => {
  afterEach(() => vi.useRealTimers());

  it('sends in order, retries a refused stroke and counts the ones that never went', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const strokes = [stroke([[1, 1]]), stroke([[2, 2]]), stroke([[3, 3]])];
    const attempts = new Map<number, number>();
    const order: number[] = [];
    const progress: number[] = [];
    const done = resendStrokes(
      strokes,
      (s) => {
        const x = s.points[0][0];
        order.push(x);
        attempts.set(x, (attempts.get(x) ?? 0) + 1);
        if (x === 2 && attempts.get(x) === 1) return Promise.reject(new Error('rate limited'));
        if (x === 3) return Promise.reject(new Error('refused'));
        return Promise.resolve();
      },
      (sent) => progress.push(sent),
    );
    await vi.runAllTimersAsync();
    expect(await done).toBe(1);
    expect(order.slice(0, 3)).toEqual([1, 2, 3]);
    expect(attempts.get(2)).toBe(2);
    expect(attempts.get(3)).toBe(3);
    expect(progress).toEqual([1, 2]);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
