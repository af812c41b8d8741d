/**
 * Choosing the engine: memory without a URL, Redis with one (also through `startServer({redisUrl})`,
 * as `trendstream serve --redis URL` does), and a clear failure when Redis is not there.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/create-engine.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { startTestServer } from '../helpers/start-test-server.ts';

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});

it('creates the memory engine without a Redis URL', async () => {
  const engine = await createEngine({ redisUrl: '' });
  expect(engine.name).toBe('memory');
  await engine.close();
});

it('creates a connected Redis engine from a URL, and a server can run on it', async () => {
  const engine = await createEngine({ redisUrl: redis.url });
  expect(engine.name).toBe('redis');
  expect(engine.healthy()).toBe(true);
  await engine.close();
  expect(engine.healthy()).toBe(false);

  const server = await startTestServer({ redisUrl: redis.url });
  try {
    expect(server.engine.name).toBe('redis');
    const health = (await (await fetch(`${server.httpUrl}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ engine: 'redis', engine_healthy: true });
  } finally {
    await server.close();
  }
  expect(server.engine.healthy()).toBe(false);
});

it('fails clearly when Redis does not answer', async () => {
  await expect(createEngine({ redisUrl: 'redis://127.0.0.1:1', connectTimeoutMs: 300 })).rejects.toThrow(
    /did not answer within 300 ms/,
  );
});
