import { describe, expect, it } from 'vitest';
import type { TrendsPayload } from '../../src/protocol/payloads.ts';
import { ASCII_GLYPHS } from '../../src/terminal/glyphs.ts';
import { buildSnapshot, snapshotJson, snapshotTable } from '../../src/terminal/snapshot-output.ts';

const payload: TrendsPayload = {
  tick: 12,
  timestamp: '2025-06-01T12:00:00.000Z',
  topics: [
    {
      id: '1',
      name: '#NewJeansComeback',
      category: 'music',
      score: 1289,
      change: -13,
      history: [1302, 1289],
      hot: false,
    },
    {
      id: '2',
      name: '#Taylor89Tour',
      category: 'music',
      score: 2453,
      change: 1200,
      history: [1253, 2453],
      hot: true,
    },
    {
      id: '3',
      name: '#iPhone17Leak',
      category: 'tech',
      score: 945,
      change: 0,
      history: [945, 945],
      hot: false,
    },
    { id: '4', name: '#GTA7', category: 'games', score: 5000, change: 5, history: [4995, 5000], hot: false },
  ],
};

describe('snapshot output', () => {
  const snapshot = buildSnapshot('ws://hub/ws', payload, ['music', 'tech']);

  it('keeps the chosen categories, ranked by score', () => {
    expect(snapshot.topics.map((topic) => [topic.rank, topic.name])).toEqual([
      [1, '#Taylor89Tour'],
      [2, '#NewJeansComeback'],
      [3, '#iPhone17Leak'],
    ]);
    expect(JSON.parse(snapshotJson(snapshot))).toEqual(snapshot);
  });

  it('prints an aligned plain table without escape codes', () => {
    const table = snapshotTable(snapshot);
    expect(table).not.toContain('\u001b');
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe('Trends at tick 12 (2025-06-01T12:00:00.000Z) from ws://hub/ws');
    expect(lines[1]).toMatch(/^#\s+TOPIC\s+CATEGORY\s+SCORE\s+CHANGE\s+HISTORY$/);
    expect(lines[2]).toMatch(/^1\s+#Taylor89Tour\s+Music\s+2,453\s+▲ \+1,200\s+▁█\s+HOT$/);
    expect(lines[3]).toMatch(/^2\s+#NewJeansComeback\s+Music\s+1,289\s+▼ -13\s+█▁$/);
    expect(lines[4]).toMatch(/^3\s+#iPhone17Leak\s+Tech\s+945\s+• 0\s+▄▄$/);
    // Scores are right-aligned: their last digit sits in the same column.
    const scoreEnds = lines.slice(2).map((line) => line.search(/\d(?=\s+[▲▼•])/));
    expect(new Set(scoreEnds).size).toBe(1);
  });

  it('prints plain ASCII with ASCII glyphs (non-UTF-8 locale or --ascii)', () => {
    const lines = snapshotTable(snapshot, ASCII_GLYPHS).trimEnd().split('\n');
    expect(lines.join('\n')).toMatch(/^[\x20-\x7e\n]*$/);
    expect(lines[2]).toMatch(/^1\s+#Taylor89Tour\s+Music\s+2,453\s+\^ \+1,200\s+_#\s+HOT$/);
    expect(lines[3]).toMatch(/^2\s+#NewJeansComeback\s+Music\s+1,289\s+v -13\s+#_$/);
    expect(lines[4]).toMatch(/^3\s+#iPhone17Leak\s+Tech\s+945\s+= 0\s+::$/);
  });

  it('says so when no topic matches', () => {
    expect(snapshotTable(buildSnapshot('u', payload, ['memes']))).toContain(
      'No topics in the chosen categories.',
    );
  });
});
