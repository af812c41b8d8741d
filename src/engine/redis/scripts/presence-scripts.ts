/**
 * Presence in Redis: per channel, a hash of entries (client id → JSON) and a sorted set of their
 * expiry times on Redis's clock. The owning node refreshes its entries; reads first sweep out the
 * entries of nodes that stopped refreshing (crashed), so they vanish within the TTL.
 */
import { LuaScript } from '../lua-script.ts';
import { LUA_NOW_MS } from './lua-fragments.ts';

/** Deletes expired entries of KEYS[1] (members) / KEYS[2] (expiry); expects `now`. */
const LUA_SWEEP = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for i = 1, #expired, 1000 do
  redis.call('HDEL', KEYS[1], unpack(expired, i, math.min(i + 999, #expired)))
end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end
`;

/**
 * KEYS: members, expiry. ARGV: TTL ms, then pairs of client id and entry JSON.
 * Adds or refreshes the entries; both keys expire when no node refreshes anything for a while.
 */
export const PRESENCE_ADD_SCRIPT = new LuaScript(
  'presence-add',
  `
${LUA_NOW_MS}
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('ZADD', KEYS[2], now + ttl, ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ttl * 2)
redis.call('PEXPIRE', KEYS[2], ttl * 2)
return 1
`,
);

/** KEYS: members, expiry. ARGV: client id. */
export const PRESENCE_REMOVE_SCRIPT = new LuaScript(
  'presence-remove',
  `
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`,
);

/** KEYS: members, expiry. Returns the live entries' JSON. */
export const PRESENCE_LIST_SCRIPT = new LuaScript(
  'presence-list',
  `
${LUA_NOW_MS}
${LUA_SWEEP}
return redis.call('HVALS', KEYS[1])
`,
);

/** KEYS: members, expiry. Returns the number of live entries. */
export const PRESENCE_COUNT_SCRIPT = new LuaScript(
  'presence-count',
  `
${LUA_NOW_MS}
${LUA_SWEEP}
return redis.call('HLEN', KEYS[1])
`,
);
