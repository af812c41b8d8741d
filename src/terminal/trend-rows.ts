/**
 * Which trends the list shows and in what order: the watched categories' topics, highest score
 * first, with each topic's rank now and its rank one tick ago (from `score - change`), so the
 * view can say how far a topic moved without keeping a copy of the previous tick.
 * While a tick animates, "score" is the one on screen (counting from the old value to the new):
 * the order, the ranks and the move badges follow it, so the list never contradicts its numbers.
 */
import type { TrendCategory, TrendTopic } from '../protocol/payloads.ts';

export interface TrendRow {
  topic: TrendTopic;
  /** The score on screen: `topic.score`, or a value on the way to it while the tick animates. */
  shownScore: number;
  /** 1-based place among the watched topics. */
  rank: number;
  /** Place the topic had before the last tick, by its previous score. */
  previousRank: number;
}

export type TopicsByCategory = Partial<Record<TrendCategory, readonly TrendTopic[]>>;

/** Highest score first; ties by name, so the order is stable between renders. */
export function compareByScore(
  a: { score: number; name: string },
  b: { score: number; name: string },
): number {
  return b.score - a.score || a.name.localeCompare(b.name);
}

export function watchedTopics(topics: TopicsByCategory, watched: readonly TrendCategory[]): TrendTopic[] {
  return watched.flatMap((category) => topics[category] ?? []);
}

/** The score a topic shows; its final score unless a tick animation says otherwise. */
export type ShownScore = (topic: TrendTopic) => number;

function finalScore(topic: TrendTopic): number {
  return topic.score;
}

/** Every topic ranked by the score it shows, best first. */
export function rankTopics(topics: readonly TrendTopic[], shownScore: ShownScore = finalScore): TrendRow[] {
  const previousOrder = topics
    .map((topic) => ({ id: topic.id, name: topic.name, score: topic.score - topic.change }))
    .sort(compareByScore);
  const previousRanks = new Map(previousOrder.map((entry, index) => [entry.id, index + 1]));
  return topics
    .map((topic) => ({ topic, name: topic.name, score: shownScore(topic) }))
    .sort(compareByScore)
    .map((entry, index) => ({
      topic: entry.topic,
      shownScore: entry.score,
      rank: index + 1,
      previousRank: previousRanks.get(entry.topic.id) ?? index + 1,
    }));
}

export interface VisibleRows {
  rows: TrendRow[];
  /** All watched topics, shown or not, for a "+N more" hint. */
  total: number;
}

/** The top `limit` rows of the watched categories, by the score each shows. */
export function visibleRows(
  topics: TopicsByCategory,
  watched: readonly TrendCategory[],
  limit: number,
  shownScore: ShownScore = finalScore,
): VisibleRows {
  const ranked = rankTopics(watchedTopics(topics, watched), shownScore);
  return { rows: ranked.slice(0, Math.max(0, limit)), total: ranked.length };
}
