/**
 * Makes hashtag names for new trend topics: a ready-made tag or a subject+suffix combination
 * (sometimes with a number), never a name that is live now or was used recently, so a replaced
 * topic does not come straight back under the same name.
 */
import type { TrendCategory } from '../protocol/payloads.ts';
import { HASHTAG_VOCABULARY } from './hashtag-names.ts';
import { pick, type Random } from './random.ts';

/** How many retired names are remembered and avoided. */
const RECENT_NAMES = 64;
const ATTEMPTS = 25;
/** Sequel numbers and years: what numbers in real hashtags usually are. */
const NUMBERS = ['2', '3', '4', '25', '26', '89', 'X'] as const;

export class TopicNameGenerator {
  readonly #random: Random;
  readonly #inUse = new Set<string>();
  readonly #recent: string[] = [];
  #serial = 0;

  constructor(random: Random) {
    this.#random = random;
  }

  /** A fresh `#Name` for the category, reserved until `release`d. */
  next(category: TrendCategory): string {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const name = `#${this.#candidate(category)}`;
      if (!this.#inUse.has(name) && !this.#recent.includes(name)) return this.#reserve(name);
    }
    // Vocabulary exhausted (only with very many topics): a numbered name is always unique.
    this.#serial += 1;
    return this.#reserve(`#${pick(this.#random, HASHTAG_VOCABULARY[category].subjects)}${this.#serial}`);
  }

  /** The topic with this name was replaced: free the name, but avoid it for a while. */
  release(name: string): void {
    this.#inUse.delete(name);
    this.#recent.push(name);
    if (this.#recent.length > RECENT_NAMES) this.#recent.shift();
  }

  #reserve(name: string): string {
    this.#inUse.add(name);
    return name;
  }

  #candidate(category: TrendCategory): string {
    const vocabulary = HASHTAG_VOCABULARY[category];
    const roll = this.#random();
    if (roll < 0.25) return pick(this.#random, vocabulary.tags);
    const subject = pick(this.#random, vocabulary.subjects);
    const suffix = pick(this.#random, vocabulary.suffixes);
    if (roll < 0.4) return `${subject}${pick(this.#random, NUMBERS)}${suffix}`;
    if (roll < 0.5) return `${subject}_${suffix}`;
    return `${subject}${suffix}`;
  }
}
