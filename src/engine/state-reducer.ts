/**
 * How each StateKind turns a publish input into the published data and the next channel state.
 * The memory engine runs this directly; the Redis engine mirrors it in its Lua script.
 * An input that does not fit the kind throws InvalidStateInputError (state-input.ts) before any
 * state is changed.
 */
import { addToCounter, counterDelta } from './state-input.ts';
import type { StateKind } from './types.ts';

export interface Reduced {
  /** What subscribers receive. */
  published: unknown;
  /** The channel state after this publication. */
  state: unknown;
}

export function reduceState(kind: StateKind, state: unknown, input: unknown, maxStrokes = 5000): Reduced {
  switch (kind) {
    case 'none':
      return { published: input, state: undefined };
    case 'latest':
      return { published: input, state: input };
    case 'counter': {
      const value = addToCounter(typeof state === 'number' ? state : 0, counterDelta(input));
      return { published: { value }, state: value };
    }
    case 'board': {
      const op = input as { op: string };
      if (op.op === 'clear') return { published: input, state: [] };
      const strokes = Array.isArray(state) ? state : [];
      strokes.push(input);
      if (strokes.length > maxStrokes) strokes.splice(0, strokes.length - maxStrokes);
      return { published: input, state: strokes };
    }
  }
}

/** What clients see of a state: the same shape as the channel's publications (`{value}` for counters). */
export function snapshotView(kind: StateKind, state: unknown): unknown {
  const current = state === undefined ? initialState(kind) : state;
  return kind === 'counter' ? { value: current } : current;
}

/** The snapshot of a channel that has never been published to. */
export function initialState(kind: StateKind): unknown {
  switch (kind) {
    case 'counter':
      return 0;
    case 'board':
      return [];
    default:
      return undefined;
  }
}
