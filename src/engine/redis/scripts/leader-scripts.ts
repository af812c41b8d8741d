/** The leader lock: a key holding the owner's token, kept alive by its owner (SET NX PX elsewhere). */
import { LuaScript } from '../lua-script.ts';

/** KEYS: lock. ARGV: token, TTL ms. Returns 1 while the caller still owns the lock. */
export const LEADER_RENEW_SCRIPT = new LuaScript(
  'leader-renew',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`,
);

/** KEYS: lock. ARGV: token. Deletes the lock only if the caller owns it. */
export const LEADER_RELEASE_SCRIPT = new LuaScript(
  'leader-release',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`,
);
