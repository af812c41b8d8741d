/**
 * Options of the Redis engine, each with its default. Timings are configurable so tests can make a
 * crashed node's presence or a dead leader's lock expire in a second instead of half a minute.
 */

/** The subset of a pino logger the engine uses; pass the server's logger. */
export interface EngineLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface RedisEngineOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Prefix of every key and pub/sub channel, so several clusters can share one Redis. Default `ts:`. */
  keyPrefix?: string;
  /** A presence entry not refreshed by its node for this long disappears. Default 30 000. */
  presenceTtlMs?: number;
  /** A leader lock not renewed for this long passes to another node. Default 10 000. */
  leaderTtlMs?: number;
  /** Interval of the PING that detects a Redis that stopped answering. Default 2000. */
  healthCheckMs?: number;
  /** A command without a reply for this long fails. Default 5000. */
  commandTimeoutMs?: number;
  /** Reconnect backoff: full jitter between 0 and min(max, base·2^attempt). Defaults 100 and 3000. */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** How long `connect` waits for Redis before giving up. Default 10 000. */
  connectTimeoutMs?: number;
  logger?: EngineLogger;
}

export type ResolvedRedisEngineOptions = Required<RedisEngineOptions>;

const SILENT_LOGGER: EngineLogger = {
  warn: () => undefined,
  info: () => undefined,
};

export function resolveRedisEngineOptions(options: RedisEngineOptions): ResolvedRedisEngineOptions {
  const resolved: ResolvedRedisEngineOptions = {
    keyPrefix: 'ts:',
    presenceTtlMs: 30_000,
    leaderTtlMs: 10_000,
    healthCheckMs: 2000,
    commandTimeoutMs: 5000,
    reconnectBaseMs: 100,
    reconnectMaxMs: 3000,
    connectTimeoutMs: 10_000,
    logger: SILENT_LOGGER,
    ...withoutUndefined(options),
  };
  if (!resolved.url) throw new Error('the Redis engine needs a url, e.g. redis://127.0.0.1:6379');
  if (resolved.presenceTtlMs < 300 || resolved.leaderTtlMs < 300) {
    throw new Error('presenceTtlMs and leaderTtlMs must be at least 300 ms, or refreshes cannot keep up');
  }
  return resolved;
}

function withoutUndefined(options: RedisEngineOptions): RedisEngineOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as RedisEngineOptions;
}
