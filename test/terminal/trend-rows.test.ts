import { describe, expect, it } from 'vitest';
import type { TrendCategory, TrendTopic } from '../../src/protocol/payloads.ts';
import { tween } from '../../src/terminal/animation.ts';
import { rankTopics, visibleRows } from '../../src/terminal/trend-rows.ts';

function topic(name: string, category: TrendCategory, score: number, change = 0): TrendTopic {
  return { id: name, name, category, score, change, history: [score - change, score], hot: false };
}

describe('trend rows', () => {
  const topics = {
    music: [topic('#Taylor89Tour', 'music', 2512, 59), topic('#GRAMMYSnub', 'music', 865, -20)],
    tech: [topic('#AI_Fashion', 'tech', 1723, 900), topic('#iPhone17Leak', 'tech', 945, 0)],
    games: [topic('#GTA7', 'games', 9999, 1)],
  };

  it('shows only watched categories, highest score first', () => {
    const { rows, total } = visibleRows(topics, ['music', 'tech'], 10);
    expect(rows.map((row) => row.topic.name)).toEqual([
      '#Taylor89Tour',
      '#AI_Fashion',
      '#iPhone17Leak',
      '#GRAMMYSnub',
    ]);
    expect(rows.map((row) => row.rank)).toEqual([1, 2, 3, 4]);
    expect(total).toBe(4);
  });

  it('cuts to the top N and reports the total', () => {
    const { rows, total } = visibleRows(topics, ['music', 'tech', 'games'], 2);
    expect(rows.map((row) => row.topic.name)).toEqual(['#GTA7', '#Taylor89Tour']);
    expect(total).toBe(5);
    expect(visibleRows(topics, [], 10)).toEqual({ rows: [], total: 0 });
  });

  it('derives the previous rank from score minus change', () => {
    // #AI_Fashion was at 823 before this tick: below #iPhone17Leak (945) and #GRAMMYSnub (885).
    const rows = rankTopics([...topics.music, ...topics.tech]);
    const byName = new Map(rows.map((row) => [row.topic.name, row]));
    expect(byName.get('#AI_Fashion')).toMatchObject({ rank: 2, previousRank: 4 });
    expect(byName.get('#iPhone17Leak')).toMatchObject({ rank: 3, previousRank: 2 });
    expect(byName.get('#Taylor89Tour')).toMatchObject({ rank: 1, previousRank: 1 });
  });

  it('orders equal scores by name so renders are stable', () => {
    const rows = rankTopics([topic('#b', 'tech', 10), topic('#a', 'tech', 10)]);
    expect(rows.map((row) => row.topic.name)).toEqual(['#a', '#b']);
  });

  it('while a tick animates, orders, ranks and badges by the score on screen', () => {
    // #AI_Fashion jumps from 823 to 1723 and passes #iPhone17Leak (945) and #GRAMMYSnub (885) on the way.
    const watched = [...topics.music, ...topics.tech];
    const at = (progress: number) =>
      rankTopics(watched, (topic) => tween(topic.score - topic.change, topic.score, progress));
    const names = (progress: number) => at(progress).map((row) => row.topic.name);
    expect(names(0)).toEqual(['#Taylor89Tour', '#iPhone17Leak', '#GRAMMYSnub', '#AI_Fashion']);
    expect(names(1)).toEqual(['#Taylor89Tour', '#AI_Fashion', '#iPhone17Leak', '#GRAMMYSnub']);
    for (let step = 0; step <= 20; step += 1) {
      const rows = at(step / 20);
      const shown = rows.map((row) => row.shownScore);
      expect(shown, `progress ${step / 20}`).toEqual([...shown].sort((a, b) => b - a));
      expect(rows.map((row) => row.rank)).toEqual([1, 2, 3, 4]);
    }
    // The badge grows with the move on screen: none before the scores move, the full one at the end.
    const fashion = (progress: number) => at(progress).find((row) => row.topic.name === '#AI_Fashion');
    expect(fashion(0)).toMatchObject({ rank: 4, previousRank: 4, shownScore: 823 });
    expect(fashion(1)).toMatchObject({ rank: 2, previousRank: 4, shownScore: 1723 });
    // visibleRows cuts by the shown order too.
    const top = visibleRows(topics, ['music', 'tech'], 2, (topic) => topic.score - topic.change);
    expect(top.rows.map((row) => row.topic.name)).toEqual(['#Taylor89Tour', '#iPhone17Leak']);
  });
});
