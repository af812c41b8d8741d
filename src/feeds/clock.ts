/**
 * The wall clock as an injectable function (milliseconds since the epoch), so timestamps and
 * day boundaries are testable without touching global time.
 */

export type Clock = () => number;

export const systemClock: Clock = function systemNow(): number {
  return Date.now();
};

export function isoTime(clock: Clock): string {
  return new Date(clock()).toISOString();
}
