/**
 * Reproducible randomness for the fault injectors: a small PRNG (mulberry32) seeded from
 * `RELIABILITY_SEED` when set, else from a fixed default, so a failing run can be replayed exactly
 * (`RELIABILITY_SEED=1234 npx vitest run test/reliability`). Every suite prints the seed it used.
 */

export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** An exponentially distributed delay with the given mean (memoryless fault arrivals). */
  exponential(mean: number): number;
  /** One of `choices`, picked with probability proportional to its weight. */
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T;
}

export const DEFAULT_SEED = 20_240_607;

/** The seed a suite should use: `RELIABILITY_SEED` when it is a number, else `fallback`. */
export function suiteSeed(fallback = DEFAULT_SEED): number {
  const fromEnv = Number(process.env.RELIABILITY_SEED);
  return Number.isInteger(fromEnv) && process.env.RELIABILITY_SEED !== '' ? fromEnv : fallback;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    exponential: (mean) => -Math.log(1 - next()) * mean,
    weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
      const entries = Object.entries(weights) as [T, number][];
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let pick = next() * total;
      for (const [choice, weight] of entries) {
        pick -= weight;
        if (pick < 0) return choice;
      }
      return entries[entries.length - 1][0];
    },
  };
}
