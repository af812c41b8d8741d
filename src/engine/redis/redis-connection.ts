/**
 * Opening the engine's Redis connections with the failure behaviour it relies on:
 * commands fail fast while Redis is unreachable (no offline queue, no silent retries that could
 * publish twice), reconnects back off with full jitter forever, and nothing is resubscribed behind
 * the engine's back (the fan-out resubscribes itself, then catches up through history).
 */
import { Redis } from 'ioredis';
import type { ResolvedRedisEngineOptions } from './redis-options.ts';

export type ConnectionRole = 'command' | 'subscriber';

export function openRedisConnection(
  options: ResolvedRedisEngineOptions,
  nodeId: string,
  role: ConnectionRole,
): Redis {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    connectionName: `trendstream:${nodeId}:${role}`,
    retryStrategy: (attempt) => fullJitterDelay(attempt, options.reconnectBaseMs, options.reconnectMaxMs),
  });
  redis.on('error', function logRedisError(error: Error) {
    options.logger.warn({ err: error, role }, 'redis connection error');
  });
  return redis;
}

/** A random delay in [0, min(max, base·2^attempt)], at least 10 ms so a dead Redis is not hammered. */
export function fullJitterDelay(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.max(10, Math.floor(Math.random() * ceiling));
}

/** Connect and wait until the connection is ready, or fail after `timeoutMs`. */
export async function connectWithin(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  if (redis.status === 'wait') redis.connect().catch(() => undefined); // failures retry; 'ready' or the timer decides
  try {
    await Promise.race([ready, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
