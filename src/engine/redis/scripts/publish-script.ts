/**
 * Publishing, atomically per channel in one script: the next seq, the state update (mirroring
 * src/engine/state-reducer.ts), the history entry (XADD, bounded MAXLEN, stream TTL) and the
 * PUBLISH to every node. Since Redis runs one script at a time and delivers PUBLISH in order,
 * every node sees a channel's publications in seq order and counters are exact under concurrency.
 *
 * Data stays JSON text end to end (never decoded in Lua, whose cjson would round numbers); only the
 * counter's delta and the board's op are passed separately.
 *
 * With a fourth key (the webhook queue, see webhook-scripts.ts) the publication's `client_publication`
 * webhook event is queued in the same script, so those events are in seq order per channel across
 * nodes. (That key is outside the channel's hash slot: fine on one Redis, not on a Redis Cluster.)
 *
 * A counter delta is checked again here, before the first write (Redis does not undo a script's
 * writes when it fails halfway): it must be a canonical integer within ±2^53-1 and keep the counter
 * there (src/engine/state-input.ts, the rule the broker already applied). Otherwise the script
 * writes nothing and replies with an error starting with INVALID_STATE_INPUT_MARK.
 */
import { LuaScript } from '../lua-script.ts';
import { LUA_ENSURE_EPOCH, LUA_NOW_MS } from './lua-fragments.ts';

/** First word of the script's error reply for a refused input; the next word is `delta` or `range`. */
export const INVALID_STATE_INPUT_MARK = 'INVALID_STATE_INPUT';

/**
 * KEYS: meta, history, strokes[, webhook queue].
 * ARGV: data JSON, state kind, history size, history TTL ms, max strokes, epoch candidate,
 *       from JSON ('' when none), pub/sub channel, operand (counter delta or board op)
 *       [, the webhook event's JSON up to its publication fields (no closing brace), max queue].
 * Returns { epoch, seq, time, published data JSON[, webhook events dropped] }, or the error reply above.
 */
const SOURCE = `
local meta, history, strokes = KEYS[1], KEYS[2], KEYS[3]
local data, kind = ARGV[1], ARGV[2]
local historySize, ttl, maxStrokes = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local epochCandidate, from, pubsub, operand = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
if kind == 'counter' then
  -- Lua numbers are doubles: exact up to 2^53, so a sum beyond the bound still compares beyond it.
  local maxSafe = 9007199254740991
  local canonical = operand == '0' or (string.match(operand, '^%-?[1-9]%d*$') ~= nil and #operand <= 17)
  local delta = canonical and tonumber(operand) or nil
  if not delta or math.abs(delta) > maxSafe then
    return redis.error_reply('${INVALID_STATE_INPUT_MARK} delta')
  end
  local current = redis.call('HGET', meta, 'counter') or '0'
  if math.abs(tonumber(current) + delta) > maxSafe then
    return redis.error_reply('${INVALID_STATE_INPUT_MARK} range ' .. current)
  end
end
${LUA_ENSURE_EPOCH}
${LUA_NOW_MS}
local seq = redis.call('HINCRBY', meta, 'seq', 1)
local published = data
if kind == 'latest' then
  redis.call('HSET', meta, 'kind', kind, 'latest', data)
elseif kind == 'counter' then
  local value = redis.call('HINCRBY', meta, 'counter', operand)
  redis.call('HSET', meta, 'kind', kind)
  -- %d, not '..': concatenating a Lua number prints 14 significant digits (1.2345678901234e+14).
  published = '{"value":' .. string.format('%d', value) .. '}'
elseif kind == 'board' then
  redis.call('HSET', meta, 'kind', kind)
  if operand == 'clear' then
    redis.call('DEL', strokes)
  else
    redis.call('RPUSH', strokes, data)
    redis.call('LTRIM', strokes, -maxStrokes, -1)
  end
else
  redis.call('HSET', meta, 'kind', kind)
end
if historySize > 0 then
  if from == '' then
    redis.call('XADD', history, 'MAXLEN', historySize, seq .. '-0', 'd', published, 't', now)
  else
    redis.call('XADD', history, 'MAXLEN', historySize, seq .. '-0', 'd', published, 't', now, 'f', from)
  end
  if ttl > 0 then redis.call('PEXPIRE', history, ttl) end
else
  redis.call('DEL', history)
end
redis.call('PUBLISH', pubsub, 'p' .. seq .. '\\n' .. epoch .. '\\n' .. now .. '\\n' .. from .. '\\n' .. published)
if KEYS[4] then
  local queue = KEYS[4]
  redis.call('RPUSH', queue, ARGV[10] .. ',"data":' .. published .. ',"epoch":' .. cjson.encode(epoch) ..
    ',"seq":' .. string.format('%d', seq) .. ',"time_ms":' .. string.format('%d', now) .. '}')
  local dropped = redis.call('LLEN', queue) - tonumber(ARGV[11])
  if dropped > 0 then redis.call('LTRIM', queue, dropped, -1) else dropped = 0 end
  return { epoch, seq, now, published, dropped }
end
return { epoch, seq, now, published }
`;

export const PUBLISH_SCRIPT = new LuaScript('publish', SOURCE);
