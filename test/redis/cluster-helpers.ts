/**
 * Several real TrendStream nodes in this process, each with its own Redis engine on one shared
 * redis-server, as a load balancer would see them. Close everything with `closeCluster()`.
 */
import { RedisEngine } from '../../src/engine/redis/redis-engine.ts';
import type { RedisEngineOptions } from '../../src/engine/redis/redis-options.ts';
import type { StartOptions } from '../../src/server/start-server.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';

export interface ClusterNode {
  server: RunningServer;
  engine: RedisEngine;
}

/** Fast timings so tests see expiry, failover and reconnects in about a second. */
export const FAST_ENGINE: Omit<RedisEngineOptions, 'url'> = {
  presenceTtlMs: 1000,
  leaderTtlMs: 1000,
  healthCheckMs: 200,
  commandTimeoutMs: 1000,
  reconnectBaseMs: 50,
  reconnectMaxMs: 300,
};

/** Generous client limits: these tests measure the cluster, not the rate limiter. */
export const CLUSTER_SERVER: StartOptions = { rateLimitPerSecond: 10_000, rateLimitBurst: 10_000 };

export async function startNode(
  redisUrl: string,
  keyPrefix: string,
  server: StartOptions = {},
  engine: Omit<RedisEngineOptions, 'url'> = {},
): Promise<ClusterNode> {
  const redisEngine = await RedisEngine.connect({ ...FAST_ENGINE, ...engine, url: redisUrl, keyPrefix });
  try {
    const running = await startTestServer({ ...CLUSTER_SERVER, ...server, engine: redisEngine });
    return { server: running, engine: redisEngine };
  } catch (error) {
    await redisEngine.close();
    throw error;
  }
}

export async function startCluster(
  size: number,
  redisUrl: string,
  server: StartOptions = {},
  engine: Omit<RedisEngineOptions, 'url'> = {},
): Promise<ClusterNode[]> {
  const keyPrefix = `nodes${Math.random().toString(36).slice(2, 8)}:`;
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < size; i += 1) nodes.push(await startNode(redisUrl, keyPrefix, server, engine));
  return nodes;
}

/** The server is given its engine, so it does not close it: close both, server first. */
export async function closeCluster(nodes: ClusterNode[]): Promise<void> {
  await Promise.all(
    nodes.splice(0).map(async ({ server, engine }) => {
      await server.close();
      await engine.close();
    }),
  );
}
