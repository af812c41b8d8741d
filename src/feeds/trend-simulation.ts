/**
 * The trend model behind the `trends` feed, without timers or I/O: topics per category whose scores
 * follow a random walk with momentum and pull toward the topic's own popularity, occasional surges,
 * and a life cycle (a topic rises, holds, fades after its lifespan and is replaced by a newcomer).
 * `step()` advances one tick and reports the topics that just turned hot.
 */
import { TREND_CATEGORIES, type TrendCategory, type TrendTopic } from '../protocol/payloads.ts';
import { gaussian, randomBetween, randomInt, type Random } from './random.ts';
import { TopicNameGenerator } from './topic-generator.ts';

export interface TrendSimulationOptions {
  /** Default Math.random. */
  random?: Random;
  /** Default all of TREND_CATEGORIES. */
  categories?: readonly TrendCategory[];
  /** Live topics per category; default 6. */
  topicsPerCategory?: number;
  /** Scores kept per topic for sparklines; default 30. */
  historySize?: number;
  /** Relative rise within one tick that makes a topic hot; default 0.25 (+25%). */
  hotThreshold?: number;
  /** Chance per topic per tick of a surge (score ×1.6–3); default 0.004 (with 48 topics, one every ~5 ticks). */
  surgeProbability?: number;
  /** Ticks a topic lives before it starts to fade, drawn from [min, max]; default [40, 200]. */
  lifespanTicks?: readonly [number, number];
}

export interface HotTrend {
  topic: TrendTopic;
  previousScore: number;
  /** Relative rise this tick: 0.5 is +50%. */
  rise: number;
}

export interface TrendStep {
  tick: number;
  /** Topics that turned hot this tick (a topic that stays hot is reported once). */
  hot: HotTrend[];
  /** Ids of topics that faded out and were replaced this tick. */
  replaced: string[];
}

interface TopicState {
  id: string;
  name: string;
  category: TrendCategory;
  /** Unrounded score; `score` is what clients see. */
  level: number;
  score: number;
  change: number;
  history: number[];
  hot: boolean;
  /** The score this topic's walk is pulled toward; it shrinks once the topic fades. */
  baseline: number;
  /** Persistent part of the per-tick log change: runs of rises and falls. */
  momentum: number;
  age: number;
  lifespan: number;
}

const MIN_SCORE = 10;
const MAX_SCORE = 500_000;
/** A fading topic below this score is replaced. */
const REPLACE_BELOW = 100;
const MOMENTUM_KEEP = 0.8;
const MOMENTUM_NOISE = 0.02;
const STEP_NOISE = 0.035;
const REVERSION = 0.05;
const FADE_PER_TICK = 0.85;

export class TrendSimulation {
  readonly #random: Random;
  readonly #categories: readonly TrendCategory[];
  readonly #historySize: number;
  readonly #hotThreshold: number;
  readonly #surgeProbability: number;
  readonly #lifespan: readonly [number, number];
  readonly #names: TopicNameGenerator;
  #topics: TopicState[] = [];
  #tick = 0;
  #serial = 0;

  constructor(options: TrendSimulationOptions = {}) {
    this.#random = options.random ?? Math.random;
    this.#categories = options.categories ?? TREND_CATEGORIES;
    this.#historySize = options.historySize ?? 30;
    this.#hotThreshold = options.hotThreshold ?? 0.25;
    this.#surgeProbability = options.surgeProbability ?? 0.004;
    this.#lifespan = options.lifespanTicks ?? [40, 200];
    const perCategory = options.topicsPerCategory ?? 6;
    if (perCategory < 1 || this.#historySize < 1)
      throw new Error('topicsPerCategory and historySize must be at least 1');
    if (!(this.#hotThreshold > 0)) throw new Error('hotThreshold must be above 0');
    if (this.#lifespan[0] < 1 || this.#lifespan[1] < this.#lifespan[0])
      throw new Error('lifespanTicks must be [min, max] with 1 <= min <= max');
    this.#names = new TopicNameGenerator(this.#random);
    for (const category of this.#categories) {
      for (let index = 0; index < perCategory; index += 1)
        this.#topics.push(this.#establishedTopic(category));
    }
  }

  get tick(): number {
    return this.#tick;
  }

  /** All live topics, highest score first, as independent copies (safe to publish and keep). */
  topics(): TrendTopic[] {
    return this.#topics.map(toTrendTopic).sort(byScoreDescending);
  }

  step(): TrendStep {
    this.#tick += 1;
    const hot: HotTrend[] = [];
    const replaced: string[] = [];
    this.#topics = this.#topics.map((topic) => {
      if (this.#isSpent(topic)) {
        replaced.push(topic.id);
        this.#names.release(topic.name);
        return this.#newcomer(topic.category);
      }
      const previousScore = topic.score;
      const wasHot = topic.hot;
      this.#move(topic);
      const rise = (topic.score - previousScore) / previousScore;
      topic.hot = rise >= this.#hotThreshold;
      if (topic.hot && !wasHot) hot.push({ topic: toTrendTopic(topic), previousScore, rise });
      return topic;
    });
    hot.sort((a, b) => b.rise - a.rise);
    return { tick: this.#tick, hot, replaced };
  }

  #move(topic: TopicState): void {
    topic.age += 1;
    if (topic.age > topic.lifespan) topic.baseline = Math.max(MIN_SCORE, topic.baseline * FADE_PER_TICK);
    topic.momentum = MOMENTUM_KEEP * topic.momentum + MOMENTUM_NOISE * gaussian(this.#random);
    const reversion = -REVERSION * Math.log(topic.level / topic.baseline);
    let factor = Math.exp(topic.momentum + reversion + STEP_NOISE * gaussian(this.#random));
    if (this.#random() < this.#surgeProbability) {
      factor = Math.max(factor, 1) * randomBetween(this.#random, 1.6, 3);
      topic.momentum += 0.05;
    }
    topic.level = Math.min(MAX_SCORE, Math.max(MIN_SCORE, topic.level * factor));
    const score = Math.round(topic.level);
    topic.change = score - topic.score;
    topic.score = score;
    topic.history.push(score);
    if (topic.history.length > this.#historySize)
      topic.history.splice(0, topic.history.length - this.#historySize);
  }

  #isSpent(topic: TopicState): boolean {
    const fading = topic.age > topic.lifespan;
    return (fading && topic.score < REPLACE_BELOW) || topic.age > topic.lifespan * 2;
  }

  /** A topic that has been trending for a while (the initial population). */
  #establishedTopic(category: TrendCategory): TopicState {
    const topic = this.#topic(category);
    topic.level = topic.baseline * randomBetween(this.#random, 0.6, 1.4);
    topic.age = randomInt(this.#random, 0, topic.lifespan - 1);
    return this.#withScore(topic);
  }

  /** A new topic: starts small with momentum, so it climbs over the next ticks. */
  #newcomer(category: TrendCategory): TopicState {
    const topic = this.#topic(category);
    topic.level = Math.max(MIN_SCORE, topic.baseline * randomBetween(this.#random, 0.1, 0.3));
    topic.momentum = randomBetween(this.#random, 0.05, 0.12);
    return this.#withScore(topic);
  }

  #topic(category: TrendCategory): TopicState {
    return {
      id: this.#newId(),
      name: this.#names.next(category),
      category,
      level: 0,
      score: 0,
      change: 0,
      history: [],
      hot: false,
      // Skewed popularity: most topics a few hundred to a couple of thousand, a few near 4,000.
      baseline: 300 * Math.exp(randomBetween(this.#random, 0, 2.5)),
      momentum: 0,
      age: 0,
      lifespan: randomInt(this.#random, this.#lifespan[0], this.#lifespan[1]),
    };
  }

  #withScore(topic: TopicState): TopicState {
    topic.score = Math.round(topic.level);
    topic.history = [topic.score];
    return topic;
  }

  /** Unique in this simulation (serial) and unlikely to clash with another node's (random part). */
  #newId(): string {
    this.#serial += 1;
    const suffix = Math.floor(this.#random() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
    return `t${this.#serial.toString(36)}-${suffix}`;
  }
}

function toTrendTopic(topic: TopicState): TrendTopic {
  return {
    id: topic.id,
    name: topic.name,
    category: topic.category,
    score: topic.score,
    change: topic.change,
    history: [...topic.history],
    hot: topic.hot,
  };
}

function byScoreDescending(a: TrendTopic, b: TrendTopic): number {
  return b.score - a.score;
}
