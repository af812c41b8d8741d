/**
 * Choosing the engine from the configuration: the embedded memory engine by default, the Redis
 * engine (scale-out) when a Redis URL is given.
 */
import { MemoryEngine } from './memory/memory-engine.ts';
import { RedisEngine } from './redis/redis-engine.ts';
import type { RedisEngineOptions } from './redis/redis-options.ts';
import type { Engine } from './types.ts';

export interface CreateEngineOptions extends Partial<Omit<RedisEngineOptions, 'url'>> {
  /** Empty or absent: the memory engine. */
  redisUrl?: string;
}

export async function createEngine(options: CreateEngineOptions = {}): Promise<Engine> {
  const { redisUrl, ...redisOptions } = options;
  if (!redisUrl) return new MemoryEngine();
  return RedisEngine.connect({ ...redisOptions, url: redisUrl });
}
