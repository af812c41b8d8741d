import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TREND_CATEGORIES, type TrendTopic } from '../../src/protocol/payloads.ts';
import { seededRandom } from '../../src/feeds/random.ts';
import { TrendSimulation, type TrendStep } from '../../src/feeds/trend-simulation.ts';

function byId(topics: TrendTopic[]): Map<string, TrendTopic> {
  return new Map(topics.map((t) => [t.id, t]));
}

/** What is wrong with one topic after a step, given its state one tick earlier (if it existed). */
function topicViolations(topic: TrendTopic, previous: TrendTopic | undefined, step: TrendStep): string[] {
  const problems: string[] = [];
  const where = `${topic.name} at tick ${step.tick}`;
  if (!Number.isInteger(topic.score) || topic.score < 10 || topic.score > 500_000)
    problems.push(`${where}: score ${topic.score}`);
  if (topic.history.length > 12 || topic.history.at(-1) !== topic.score) problems.push(`${where}: history`);
  if (previous) {
    if (topic.change !== topic.score - previous.score) problems.push(`${where}: change ${topic.change}`);
    if (topic.hot !== topic.change / previous.score >= 0.25) problems.push(`${where}: hot ${topic.hot}`);
  } else if (step.replaced.length === 0) {
    problems.push(`${where}: new topic without a replacement`);
  }
  return problems;
}

describe('TrendSimulation', () => {
  it('starts with every category populated by unique, plausible hashtags', () => {
    const simulation = new TrendSimulation({ random: seededRandom(7), topicsPerCategory: 6 });
    const topics = simulation.topics();
    expect(topics).toHaveLength(TREND_CATEGORIES.length * 6);
    for (const category of TREND_CATEGORIES) {
      expect(topics.filter((t) => t.category === category)).toHaveLength(6);
    }
    expect(new Set(topics.map((t) => t.id)).size).toBe(topics.length);
    expect(new Set(topics.map((t) => t.name)).size).toBe(topics.length);
    for (const topic of topics) {
      expect(topic.name).toMatch(/^#[A-Za-z][A-Za-z0-9_]{2,30}$/);
      expect(topic.score).toBeGreaterThanOrEqual(100);
      expect(topic.score).toBeLessThan(10_000);
      expect(topic.history).toEqual([topic.score]);
      expect(topic.change).toBe(0);
      expect(topic.hot).toBe(false);
    }
    expect(topics.map((t) => t.score)).toEqual([...topics.map((t) => t.score)].sort((a, b) => b - a));
  });

  it('keeps its invariants tick after tick, for any seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const simulation = new TrendSimulation({
          random: seededRandom(seed),
          historySize: 12,
          surgeProbability: 0.05,
        });
        let before = byId(simulation.topics());
        const violations: string[] = [];
        for (let tick = 1; tick <= 60; tick += 1) {
          const step = simulation.step();
          const topics = simulation.topics();
          if (step.tick !== tick) violations.push(`tick ${step.tick} != ${tick}`);
          if (new Set(topics.map((t) => t.name)).size !== topics.length)
            violations.push(`duplicate name at ${tick}`);
          for (const topic of topics) violations.push(...topicViolations(topic, before.get(topic.id), step));
          for (const hot of step.hot) {
            if (hot.rise < 0.25 || !hot.topic.hot) violations.push(`reported hot: ${JSON.stringify(hot)}`);
          }
          before = byId(topics);
        }
        expect(violations).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  it('moves scores both ways and replaces topics over time', () => {
    const simulation = new TrendSimulation({ random: seededRandom(42), lifespanTicks: [10, 30] });
    const initialIds = new Set(simulation.topics().map((t) => t.id));
    let rises = 0;
    let falls = 0;
    let replaced = 0;
    for (let tick = 0; tick < 150; tick += 1) {
      replaced += simulation.step().replaced.length;
      for (const topic of simulation.topics()) {
        if (topic.change > 0) rises += 1;
        if (topic.change < 0) falls += 1;
      }
    }
    expect(rises).toBeGreaterThan(1000);
    expect(falls).toBeGreaterThan(1000);
    expect(replaced).toBeGreaterThan(48);
    // Every original topic lived at most twice its longest lifespan.
    expect(simulation.topics().filter((t) => initialIds.has(t.id))).toEqual([]);
  });

  it('reports a surging topic as hot once, not on every tick it stays hot', () => {
    const simulation = new TrendSimulation({ random: seededRandom(3), surgeProbability: 1 });
    const first = simulation.step();
    expect(first.hot).toHaveLength(TREND_CATEGORIES.length * 6);
    expect(first.hot[0]?.rise).toBeGreaterThanOrEqual(first.hot.at(-1)?.rise ?? Infinity);
    for (const hot of first.hot) expect(hot.topic.score).toBeGreaterThan(hot.previousScore * 1.25);
    const second = simulation.step();
    expect(simulation.topics().every((t) => t.hot)).toBe(true);
    expect(second.hot).toEqual([]);
  });

  it('keeps a bounded history for each topic', () => {
    const simulation = new TrendSimulation({
      random: seededRandom(9),
      historySize: 5,
      lifespanTicks: [500, 500],
    });
    for (let tick = 0; tick < 20; tick += 1) simulation.step();
    for (const topic of simulation.topics()) {
      expect(topic.history).toHaveLength(5);
    }
  });

  it('rejects options that cannot work', () => {
    expect(() => new TrendSimulation({ topicsPerCategory: 0 })).toThrow(/topicsPerCategory/);
    expect(() => new TrendSimulation({ lifespanTicks: [10, 5] })).toThrow(/lifespanTicks/);
  });
});
