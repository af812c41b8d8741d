/**
 * What `watch --once` prints: one trends snapshot filtered to the chosen categories, either as
 * JSON for scripts (`--json`) or as a plain, colourless table for people.
 */
import type { TrendCategory, TrendTopic, TrendsPayload } from '../protocol/payloads.ts';
import { CATEGORY_LABELS } from './category-keys.ts';
import { arrowOf, formatChange, formatScore } from './format.ts';
import { UNICODE_GLYPHS, type Glyphs } from './glyphs.ts';
import { sparkline } from './sparkline.ts';
import { rankTopics } from './trend-rows.ts';

export interface SnapshotTopic extends TrendTopic {
  rank: number;
}

export interface TrendSnapshot {
  url: string;
  tick: number;
  timestamp: string;
  categories: TrendCategory[];
  topics: SnapshotTopic[];
}

/** The payload's topics of `categories`, ranked by score. */
export function buildSnapshot(
  url: string,
  payload: TrendsPayload,
  categories: readonly TrendCategory[],
): TrendSnapshot {
  const topics = payload.topics.filter((topic) => categories.includes(topic.category));
  return {
    url,
    tick: payload.tick,
    timestamp: payload.timestamp,
    categories: [...categories],
    topics: rankTopics(topics).map((row) => ({ rank: row.rank, ...row.topic })),
  };
}

export function snapshotJson(snapshot: TrendSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

const SPARK_WIDTH = 12;

/** Aligned columns: rank, topic, category, score, arrow and change, sparkline, HOT (ASCII with ASCII glyphs). */
export function snapshotTable(snapshot: TrendSnapshot, glyphs: Glyphs = UNICODE_GLYPHS): string {
  const header = ['#', 'TOPIC', 'CATEGORY', 'SCORE', 'CHANGE', 'HISTORY', ''];
  const body = snapshot.topics.map((topic) => [
    String(topic.rank),
    glyphs.text(topic.name),
    CATEGORY_LABELS[topic.category],
    formatScore(topic.score),
    `${arrowOf(topic.change, glyphs)} ${formatChange(topic.change)}`,
    sparkline(topic.history, SPARK_WIDTH, glyphs.blocks),
    topic.hot ? 'HOT' : '',
  ]);
  const rows = [header, ...body];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  const rightAligned = new Set([0, 3, 4]);
  const lines = rows.map((row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column] - [...cell].length);
        return rightAligned.has(column) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
  const title = `Trends at tick ${snapshot.tick} (${snapshot.timestamp}) from ${snapshot.url}`;
  if (snapshot.topics.length === 0) return `${title}\nNo topics in the chosen categories.\n`;
  return `${title}\n${lines.join('\n')}\n`;
}
