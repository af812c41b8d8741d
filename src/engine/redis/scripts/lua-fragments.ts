/** Lua snippets shared by the channel scripts (pasted into each, since a script runs alone). */

/**
 * Reads the channel's epoch, creating the channel (seq 0, new epoch) when its meta hash is gone:
 * a channel never seen, or one whose data Redis lost. Any leftover history then belongs to a dead
 * epoch and is dropped. Expects `meta`, `history`, `strokes` and `epochCandidate` locals.
 */
export const LUA_ENSURE_EPOCH = `
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  epoch = epochCandidate
  redis.call('HSET', meta, 'epoch', epoch, 'seq', 0)
  redis.call('DEL', history, strokes)
end
`;

/** Redis's clock in milliseconds, the same for every node (`now`). */
export const LUA_NOW_MS = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;
