/**
 * Reading history together with the channel's current position, atomically.
 * With `since`: everything after it and `recovered = 1` when the stream still reaches back to it
 * in the same epoch; nothing and `recovered = 0` otherwise. Without: the newest `limit` entries.
 * Entries older than the TTL count as gone even before Redis expires the whole stream.
 */
import { LuaScript } from '../lua-script.ts';
import { LUA_ENSURE_EPOCH, LUA_NOW_MS } from './lua-fragments.ts';

/**
 * KEYS: meta, history, strokes.
 * ARGV: epoch candidate, since epoch ('' for none), since seq, limit (0 for all), TTL ms (0 for none).
 * Returns { epoch, seq, recovered (0/1), entries } where entries are XRANGE replies, oldest first.
 */
const SOURCE = `
local meta, history, strokes = KEYS[1], KEYS[2], KEYS[3]
local epochCandidate, sinceEpoch, sinceSeq = ARGV[1], ARGV[2], tonumber(ARGV[3])
local limit, ttl = tonumber(ARGV[4]), tonumber(ARGV[5])
${LUA_ENSURE_EPOCH}
${LUA_NOW_MS}
local seq = tonumber(redis.call('HGET', meta, 'seq'))
local cutoff = 0
if ttl > 0 then cutoff = now - ttl end
local function fresh(entry)
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 't' then return tonumber(fields[i + 1]) >= cutoff end
  end
  return false
end
if sinceEpoch == '' then
  local newest
  if limit > 0 then
    newest = redis.call('XREVRANGE', history, '+', '-', 'COUNT', limit)
  else
    newest = redis.call('XREVRANGE', history, '+', '-')
  end
  local entries = {}
  for i = #newest, 1, -1 do
    if fresh(newest[i]) then entries[#entries + 1] = newest[i] end
  end
  return { epoch, seq, 0, entries }
end
if sinceEpoch ~= epoch or sinceSeq > seq then return { epoch, seq, 0, {} } end
if sinceSeq == seq then return { epoch, seq, 1, {} } end
local entries = redis.call('XRANGE', history, (sinceSeq + 1) .. '-0', '+')
local first = entries[1]
if not first or first[1] ~= (sinceSeq + 1) .. '-0' or not fresh(first) then return { epoch, seq, 0, {} } end
return { epoch, seq, 1, entries }
`;

export const HISTORY_SCRIPT = new LuaScript('history', SOURCE);
