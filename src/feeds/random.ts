/**
 * Randomness as an injectable function, so every feed can run from a seed in tests and demos.
 * `Random` has the contract of Math.random: a number in [0, 1).
 */

export type Random = () => number;

/** A small, fast seeded generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return function nextSeeded(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [min, max). */
export function randomBetween(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/** A uniform integer in [min, max] (both inclusive). */
export function randomInt(random: Random, min: number, max: number): number {
  return Math.floor(randomBetween(random, min, max + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick needs at least one item');
  return items[Math.floor(random() * items.length)];
}

/** A standard normal sample (Box–Muller), for random walks. */
export function gaussian(random: Random): number {
  const u = 1 - random(); // (0, 1]: keeps log() finite
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
