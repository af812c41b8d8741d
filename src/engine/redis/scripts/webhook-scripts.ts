/**
 * The webhook log in Redis (see WebhookLog in ../../types.ts and redis-webhook-log.ts): each fact is
 * one script, so counting, deciding the event and queueing it are atomic across nodes, and the queue
 * order is the order in which Redis ran them.
 *
 * Every script gets the same KEYS (WebhookKeys, in WEBHOOK_KEY_ORDER) and ARGV[1] = the prefix of
 * the per-lease sets, whose names are built here; all of them share the `{webhooks}` hash tag.
 * A node's subscriptions are held under its lease (a token it renews); a lease not renewed in time
 * is swept by `promote`, which ends its subscriptions like leaves (debounced as usual), so a crashed
 * node's clients are removed once, and a node that comes back rejoins under a new lease.
 * Subscription field: `channel \n client`; value: `lease \n member` (member '' without presence).
 * Channel names and client ids hold no newline; a member may, so it always comes last.
 */
import { LuaScript } from '../lua-script.ts';
import type { WebhookKeys } from '../redis-keys.ts';
import { LUA_NOW_MS } from './lua-fragments.ts';

export const WEBHOOK_KEY_ORDER = [
  'subscriptions',
  'channels',
  'members',
  'pending',
  'pendingEvents',
  'queue',
  'batch',
  'leases',
  'deadLeases',
] as const satisfies readonly (keyof WebhookKeys)[];

const LUA_PRELUDE = `
local subs, channels, members, pending, pendingEvents, queue, batch, leases, deadLeases =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local leasePrefix = ARGV[1]
${LUA_NOW_MS}
local queued = {}

-- JSON built by hand: data stays text and times keep every digit (Lua prints 14 significant ones).
local function channelEvent(name, channel, time)
  return '{"name":"' .. name .. '","channel":' .. cjson.encode(channel) ..
    ',"time_ms":' .. string.format('%d', time) .. '}'
end

-- member: 'u:<user>' or 'c:<client id>' (an anonymous connection).
local function memberEvent(name, channel, member, time)
  local who = string.sub(member, 1, 1) == 'u' and ',"user":' or ',"client":'
  return '{"name":"' .. name .. '","channel":' .. cjson.encode(channel) ..
    who .. cjson.encode(string.sub(member, 3)) ..
    ',"time_ms":' .. string.format('%d', time) .. '}'
end

local function splitValue(value)
  local cut = string.find(value, '\\n', 1, true)
  return string.sub(value, 1, cut - 1), string.sub(value, cut + 1)
end

-- A subscription goes live under 'lease'; a first one (per channel, per member) is announced
-- unless its debounced removal is still pending, which is cancelled instead.
local function join(lease, channel, client, member)
  local field = channel .. '\\n' .. client
  local current = redis.call('HGET', subs, field)
  if current then
    local owner, held = splitValue(current)
    if owner ~= lease then
      redis.call('HSET', subs, field, lease .. '\\n' .. held)
      redis.call('SREM', leasePrefix .. owner, field)
      redis.call('SADD', leasePrefix .. lease, field)
    end
    return
  end
  redis.call('HSET', subs, field, lease .. '\\n' .. member)
  redis.call('SADD', leasePrefix .. lease, field)
  if redis.call('HINCRBY', channels, channel, 1) == 1 then
    local key = 'v\\n' .. channel
    if redis.call('ZREM', pending, key) == 1 then
      redis.call('HDEL', pendingEvents, key)
    else
      queued[#queued + 1] = channelEvent('channel_occupied', channel, now)
    end
  end
  if member ~= '' then
    local memberKey = channel .. '\\n' .. member
    if redis.call('HINCRBY', members, memberKey, 1) == 1 then
      local key = 'm\\n' .. memberKey
      if redis.call('ZREM', pending, key) == 1 then
        redis.call('HDEL', pendingEvents, key)
      else
        queued[#queued + 1] = memberEvent('member_added', channel, member, now)
      end
    end
  end
end

-- The subscription 'field' (held as 'value') ends; a last one schedules its removal event.
local function leave(field, value, debounce)
  local owner, member = splitValue(value)
  local channel = string.sub(field, 1, string.find(field, '\\n', 1, true) - 1)
  redis.call('HDEL', subs, field)
  redis.call('SREM', leasePrefix .. owner, field)
  local due = now + debounce
  if member ~= '' then
    local memberKey = channel .. '\\n' .. member
    if redis.call('HINCRBY', members, memberKey, -1) <= 0 then
      redis.call('HDEL', members, memberKey)
      local key = 'm\\n' .. memberKey
      redis.call('ZADD', pending, due, key)
      redis.call('HSET', pendingEvents, key, memberEvent('member_removed', channel, member, now))
    end
  end
  if redis.call('HINCRBY', channels, channel, -1) <= 0 then
    redis.call('HDEL', channels, channel)
    local key = 'v\\n' .. channel
    redis.call('ZADD', pending, due, key)
    redis.call('HSET', pendingEvents, key, channelEvent('channel_vacated', channel, now))
  end
end

-- Queue what this script decided, dropping the oldest beyond maxQueue; returns how many dropped.
local function flush(maxQueue)
  if #queued == 0 then return 0 end
  for i = 1, #queued, 1000 do
    redis.call('RPUSH', queue, unpack(queued, i, math.min(i + 999, #queued)))
  end
  local excess = redis.call('LLEN', queue) - maxQueue
  if excess <= 0 then return 0 end
  redis.call('LTRIM', queue, excess, -1)
  return excess
end
`;

function script(name: string, body: string): LuaScript {
  return new LuaScript(`webhook-${name}`, `${LUA_PRELUDE}\n${body}`);
}

/** ARGV: lease prefix, lease, max queue, channel, client, member. Returns dropped, or -1: lease unknown. */
export const WEBHOOK_JOIN_SCRIPT = script(
  'join',
  `
local lease = ARGV[2]
if not redis.call('ZSCORE', leases, lease) then return -1 end
join(lease, ARGV[4], ARGV[5], ARGV[6])
return flush(tonumber(ARGV[3]))
`,
);

/** ARGV: lease prefix, debounce ms, channel, client. */
export const WEBHOOK_LEAVE_SCRIPT = script(
  'leave',
  `
local field = ARGV[3] .. '\\n' .. ARGV[4]
local value = redis.call('HGET', subs, field)
if value then leave(field, value, tonumber(ARGV[2])) end
return 0
`,
);

/** ARGV: lease prefix, lease, TTL ms. Returns 1 while the lease is held, 0 once it was swept. */
export const WEBHOOK_RENEW_SCRIPT = script(
  'renew',
  `
if not redis.call('ZSCORE', leases, ARGV[2]) then return 0 end
redis.call('ZADD', leases, now + tonumber(ARGV[3]), ARGV[2])
return 1
`,
);

/**
 * ARGV: lease prefix, lease, TTL ms, max queue, then (channel, client, member) triples.
 * Registers the lease and joins each subscription under it. Returns dropped.
 */
export const WEBHOOK_REJOIN_SCRIPT = script(
  'rejoin',
  `
local lease = ARGV[2]
redis.call('ZADD', leases, now + tonumber(ARGV[3]), lease)
for i = 5, #ARGV, 3 do join(lease, ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
return flush(tonumber(ARGV[4]))
`,
);

/** ARGV: lease prefix, lease. Marks the lease expired, so the next promote ends what it still holds. */
export const WEBHOOK_RELEASE_SCRIPT = script(
  'release',
  `
if redis.call('ZSCORE', leases, ARGV[2]) then redis.call('ZADD', leases, 0, ARGV[2]) end
return 0
`,
);

/** ARGV: lease prefix, max queue, event JSON. Returns dropped. */
export const WEBHOOK_APPEND_SCRIPT = script(
  'append',
  `
queued[1] = ARGV[3]
return flush(tonumber(ARGV[2]))
`,
);

/**
 * ARGV: lease prefix, debounce ms, max queue, limit. Ends up to `limit` subscriptions of expired
 * leases, then queues up to `limit` due removals in due order (a tie: member before channel, since
 * 'm' < 'v'). Returns { dropped, 1 if work is left for another call else 0 }.
 */
export const WEBHOOK_PROMOTE_SCRIPT = script(
  'promote',
  `
local debounce, maxQueue, limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 100)
for _, lease in ipairs(expired) do
  redis.call('ZREM', leases, lease)
  redis.call('SADD', deadLeases, lease)
end
local budget = limit
local more = 0
for _, lease in ipairs(redis.call('SRANDMEMBER', deadLeases, 100)) do
  if budget <= 0 then more = 1 break end
  local set = leasePrefix .. lease
  local fields = redis.call('SPOP', set, budget)
  for _, field in ipairs(fields) do
    local value = redis.call('HGET', subs, field)
    if value and splitValue(value) == lease then leave(field, value, debounce) end
  end
  budget = budget - #fields
  if redis.call('SCARD', set) == 0 then redis.call('SREM', deadLeases, lease) else more = 1 end
end
local due = redis.call('ZRANGEBYSCORE', pending, '-inf', now, 'LIMIT', 0, limit)
if #due > 0 then
  local events = redis.call('HMGET', pendingEvents, unpack(due))
  for i = 1, #due do
    if events[i] then queued[#queued + 1] = events[i] end
  end
  redis.call('ZREM', pending, unpack(due))
  redis.call('HDEL', pendingEvents, unpack(due))
  if #due == limit then more = 1 end
end
return { flush(maxQueue), more }
`,
);

/**
 * ARGV: lease prefix, max events, candidate id. The unacknowledged batch if there is one, else up
 * to max queued events moved into a new batch under the candidate id. Returns { id, time, events
 * JSON array } or false when nothing waits.
 */
export const WEBHOOK_TAKE_SCRIPT = script(
  'take',
  `
if redis.call('EXISTS', batch) == 1 then
  return redis.call('HMGET', batch, 'id', 'time', 'events')
end
local items = redis.call('LRANGE', queue, 0, tonumber(ARGV[2]) - 1)
if #items == 0 then return false end
redis.call('LTRIM', queue, #items, -1)
local time = string.format('%d', now)
local events = '[' .. table.concat(items, ',') .. ']'
redis.call('HSET', batch, 'id', ARGV[3], 'time', time, 'events', events)
return { ARGV[3], time, events }
`,
);

/** ARGV: lease prefix, batch id. Forgets the batch if it is still that one. */
export const WEBHOOK_ACK_SCRIPT = script(
  'ack',
  `
if redis.call('HGET', batch, 'id') == ARGV[2] then redis.call('DEL', batch) end
return 0
`,
);
