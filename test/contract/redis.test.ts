/**
 * The engine contract suites against the Redis engine, on a real redis-server started for this
 * file. Each engine gets its own key prefix, so tests never see each other's data.
 * Also the publish script's own counter guard, which the broker's check normally hides.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEngine } from '../../src/engine/redis/redis-engine.ts';
import { PUBLISH_SCRIPT } from '../../src/engine/redis/scripts/publish-script.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { describeBrokerContract } from './broker.contract.ts';
import { describeLeaderContract } from './leader.contract.ts';
import { describePresenceContract } from './presence.contract.ts';
import { describeWebhookLogContract } from './webhook-log.contract.ts';

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
describeWebhookLogContract('redis', makeRedisEngine);

describe('redis publish script: counter guard below the broker', () => {
  it('stores nothing for an operand that is not a canonical safe integer, or that overflows', async () => {
    const client = new Redis(redis.url);
    try {
      const keys = ['guard:meta', 'guard:history', 'guard:strokes'];
      const run = (operand: string) =>
        PUBLISH_SCRIPT.run(client, keys, [
          '{}',
          'counter',
          10,
          60_000,
          100,
          'e1',
          '',
          'guard:events',
          operand,
        ]);
      const refused = ['', '1.5', 'abc', '1e3', '01', '-0', ' 1', '0x10', 'inf', 'nan', '9007199254740992'];
      for (const operand of [...refused, '-9007199254740992', '99999999999999999999']) {
        await expect(run(operand), operand).rejects.toThrow(/^INVALID_STATE_INPUT delta/);
      }
      expect(await client.exists(...keys)).toBe(0);
      const max = await run('9007199254740991');
      // Exact, not Lua's 14-digit number format.
      expect(max).toEqual(['e1', 1, expect.any(Number) as unknown, '{"value":9007199254740991}']);
      await expect(run('1')).rejects.toThrow(/^INVALID_STATE_INPUT range 9007199254740991/);
      expect(await client.hmget('guard:meta', 'seq', 'counter')).toEqual(['1', '9007199254740991']);
      expect(await client.xlen('guard:history')).toBe(1);
    } finally {
      client.disconnect();
    }
  });
});
