/**
 * A channel's current position, creating the channel (seq 0, new epoch) if Redis has none, so the
 * position is stable for the publications that follow.
 */
import { LuaScript } from '../lua-script.ts';
import { LUA_ENSURE_EPOCH } from './lua-fragments.ts';

/** KEYS: meta, history, strokes. ARGV: epoch candidate. Returns { epoch, seq }. */
export const POSITION_SCRIPT = new LuaScript(
  'position',
  `
local meta, history, strokes = KEYS[1], KEYS[2], KEYS[3]
local epochCandidate = ARGV[1]
${LUA_ENSURE_EPOCH}
return { epoch, tonumber(redis.call('HGET', meta, 'seq')) }
`,
);
