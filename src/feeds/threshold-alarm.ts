/**
 * Turns a stream of readings into rare alarm transitions: `raise` when a reading is above the
 * threshold, at most once per cooldown (a reminder while it stays high, nothing more while it
 * bounces around the threshold), and `clear` when it falls back to or below the threshold after a
 * raise. Used for the CPU alert.
 */
import type { Clock } from './clock.ts';

export type AlarmTransition = 'raise' | 'clear' | undefined;

export interface ThresholdAlarmOptions {
  threshold: number;
  /** Least time between two raises; default 60 s. */
  cooldownMs?: number;
  clock: Clock;
}

export class ThresholdAlarm {
  readonly threshold: number;
  readonly #cooldownMs: number;
  readonly #clock: Clock;
  #raised = false;
  #lastRaise = Number.NEGATIVE_INFINITY;

  constructor(options: ThresholdAlarmOptions) {
    this.threshold = options.threshold;
    this.#cooldownMs = options.cooldownMs ?? 60_000;
    this.#clock = options.clock;
  }

  update(value: number): AlarmTransition {
    if (value > this.threshold) {
      const now = this.#clock();
      if (now - this.#lastRaise < this.#cooldownMs) return undefined;
      this.#raised = true;
      this.#lastRaise = now;
      return 'raise';
    }
    if (!this.#raised) return undefined;
    this.#raised = false;
    return 'clear';
  }
}
