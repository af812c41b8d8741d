/**
 * The one rule for what a publish may feed into a channel's state, shared by every engine: each
 * engine checks it before it touches storage, so an invalid input is refused the same way everywhere
 * (the publish rejects with InvalidStateInputError; seq, state, history and subscribers are untouched).
 *
 * Counters are kept within ±Number.MAX_SAFE_INTEGER so every value is exact in JavaScript, in JSON
 * and in Redis (whose Lua numbers are doubles); the Redis publish script enforces the same bound.
 */

/** A publish whose data does not fit the channel's state kind, e.g. a counter delta that is not a safe integer. */
export class InvalidStateInputError extends Error {
  /** Stable, for callers that branch on it without importing this class. */
  readonly code = 'invalid_state_input';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidStateInputError';
  }
}

const DELTA_RULE = `a counter delta must be a safe integer (|delta| <= ${Number.MAX_SAFE_INTEGER})`;

/** The delta of a counter publish (`{delta}`), or InvalidStateInputError. */
export function counterDelta(input: unknown): number {
  const delta =
    typeof input === 'object' && input !== null ? (input as { delta?: unknown }).delta : undefined;
  // typeof first: a numeric string like "1" would otherwise be concatenated, not added.
  if (typeof delta !== 'number' || !Number.isSafeInteger(delta)) throw counterDeltaError(delta);
  return delta;
}

/** The error for a delta that is not a safe integer (`given` is what came instead). */
export function counterDeltaError(given: unknown): InvalidStateInputError {
  return new InvalidStateInputError(`${DELTA_RULE}; got ${describe(given)}`);
}

/** `current + delta`, or InvalidStateInputError when the sum would leave the safe integer range. */
export function addToCounter(current: number, delta: number): number {
  const value = current + delta;
  if (!Number.isSafeInteger(value)) throw counterRangeError(current, delta);
  return value;
}

/** The error for a delta that would take the counter out of range (also how the Redis engine reports it). */
export function counterRangeError(current: number, delta: number): InvalidStateInputError {
  return new InvalidStateInputError(
    `${DELTA_RULE} and keep the counter within ±${Number.MAX_SAFE_INTEGER}; ${current} + ${delta} would not`,
  );
}

/** What was given instead, short enough for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'no delta';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
