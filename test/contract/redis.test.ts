/**
 * The engine contract suites against the Redis engine, on a real redis-server started for this
 * file. Each engine gets its own key prefix, so tests never see each other's data.
 */
import { afterAll, beforeAll } from 'vitest';
import { RedisEngine } from '../../src/engine/redis/redis-engine.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { describeBrokerContract } from './broker.contract.ts';
import { describeLeaderContract } from './leader.contract.ts';
import { describePresenceContract } from './presence.contract.ts';

let redis: RedisServer;
let engines = 0;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis.close();
});

function makeRedisEngine(): Promise<RedisEngine> {
  engines += 1;
  return RedisEngine.connect({ url: redis.url, keyPrefix: `contract${engines}:`, leaderTtlMs: 600 });
}

describeBrokerContract('redis', makeRedisEngine);
describePresenceContract('redis', makeRedisEngine);
describeLeaderContract('redis', makeRedisEngine, 500);
