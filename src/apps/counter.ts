/** Shared counters: clients send an operation; the engine applies it atomically and publishes `{value}`. */
import { refuse, type AppResult } from './app-result.ts';

const DELTAS: Readonly<Record<string, number>> = { increment: 1, decrement: -1 };

export function acceptCounterOp(data: unknown): AppResult {
  const op = typeof data === 'object' && data !== null ? (data as { op?: unknown }).op : undefined;
  if (typeof op !== 'string' || !Object.hasOwn(DELTAS, op)) {
    return refuse('counter operations are {"op":"increment"} or {"op":"decrement"}');
  }
  return { ok: true, data: { delta: DELTAS[op] } };
}
