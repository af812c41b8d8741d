/**
 * Reconnect delays: exponential backoff with full jitter (a uniformly random wait between zero and
 * an exponentially growing ceiling), so a crowd of clients dropped at once does not reconnect in step.
 * Pure: the random source is injectable, which makes the bounds testable.
 */
import { optionError } from './errors.ts';

export interface BackoffOptions {
  /** Ceiling of the first retry, ms. */
  baseDelayMs: number;
  /** Largest ceiling, ms. */
  maxDelayMs: number;
}

/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

/** The ceiling before retry `attempt` (0 for the first retry): min(max, base * 2^attempt). */
export function backoffCeiling(attempt: number, options: BackoffOptions): number {
  const exponent = Math.max(0, Math.floor(attempt));
  // 2^exponent overflows to Infinity for large attempts; Math.min keeps the cap.
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
}

/** The delay before retry `attempt` (0 for the first): random(0, ceiling), whole milliseconds. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: RandomSource = Math.random,
): number {
  return Math.floor(random() * backoffCeiling(attempt, options));
}

/** Fails with one clear sentence when the options contradict each other. */
export function validateBackoff({ baseDelayMs, maxDelayMs }: BackoffOptions): void {
  if (!(baseDelayMs >= 0) || !(maxDelayMs >= 0)) {
    throw optionError('baseDelayMs and maxDelayMs', 'non-negative numbers');
  }
  if (maxDelayMs < baseDelayMs) {
    throw optionError(`maxDelayMs (${maxDelayMs})`, `at least baseDelayMs (${baseDelayMs})`);
  }
}
