/**
 * The short animation after each tick: scores count from their previous value to the new one
 * and topics that changed place are highlighted, over ANIMATION_MS. Pure timing maths here;
 * the clock that drives it lives in components/use-animation-clock.ts.
 */

export const ANIMATION_MS = 700;
export const ANIMATION_FRAME_MS = 70;

/** 0 at `startedAt`, 1 from `startedAt + durationMs` on (and when nothing started). */
export function animationProgress(startedAt: number, now: number, durationMs = ANIMATION_MS): number {
  if (startedAt <= 0 || durationMs <= 0) return 1;
  const progress = (now - startedAt) / durationMs;
  return Math.min(1, Math.max(0, progress));
}

/** Ease-out cubic: moves fast first, settles gently. */
export function easeOut(progress: number): number {
  return 1 - (1 - progress) ** 3;
}

/** The value shown at `progress` on the way from `from` to `to`, rounded to a whole score. */
export function tween(from: number, to: number, progress: number): number {
  if (progress >= 1) return to;
  return Math.round(from + (to - from) * easeOut(Math.max(0, progress)));
}
