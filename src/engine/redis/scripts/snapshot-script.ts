/** Reading a channel's state with the position it reflects, atomically. */
import { LuaScript } from '../lua-script.ts';
import { LUA_ENSURE_EPOCH } from './lua-fragments.ts';

/**
 * KEYS: meta, history, strokes. ARGV: epoch candidate.
 * Returns { epoch, seq, kind ('' when never published), state } where state is the latest data
 * JSON, the counter value, or the list of board strokes (JSON each); absent for `none`.
 */
const SOURCE = `
local meta, history, strokes = KEYS[1], KEYS[2], KEYS[3]
local epochCandidate = ARGV[1]
${LUA_ENSURE_EPOCH}
local seq = tonumber(redis.call('HGET', meta, 'seq'))
local kind = redis.call('HGET', meta, 'kind') or ''
if kind == 'latest' then return { epoch, seq, kind, redis.call('HGET', meta, 'latest') } end
if kind == 'counter' then return { epoch, seq, kind, redis.call('HGET', meta, 'counter') or '0' } end
if kind == 'board' then return { epoch, seq, kind, redis.call('LRANGE', strokes, 0, -1) } end
return { epoch, seq, kind }
`;

export const SNAPSHOT_SCRIPT = new LuaScript('snapshot', SOURCE);
