/**
 * The scale-out engine: several TrendStream nodes share channels, history, state, presence and
 * leadership through one Redis. Two connections per node: one for commands and scripts, one for
 * pub/sub. `healthy()` is false while either is down or Redis stops answering PING; the connections
 * reconnect with backoff, the fan-out resubscribes and catches up, presence is rewritten.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisBroker } from './redis-broker.ts';
import { connectWithin, openRedisConnection } from './redis-connection.ts';
import { RedisFanout } from './redis-fanout.ts';
import { RedisKeys } from './redis-keys.ts';
import { RedisLeaderElection } from './redis-leader.ts';
import {
  resolveRedisEngineOptions,
  type RedisEngineOptions,
  type ResolvedRedisEngineOptions,
} from './redis-options.ts';
import { RedisPresence } from './redis-presence.ts';
import { RedisWebhookLog } from './redis-webhook-log.ts';
import type { Engine, LeaderTask, WebhookLog, WebhookLogOptions } from '../types.ts';

export class RedisEngine implements Engine {
  readonly name = 'redis';
  /** Identifies this node in connection names and lock tokens. */
  readonly nodeId = randomBytes(4).toString('hex');
  readonly broker: RedisBroker;
  readonly presence: RedisPresence;
  readonly #options: ResolvedRedisEngineOptions;
  readonly #command: Redis;
  readonly #subscriber: Redis;
  readonly #leaders: RedisLeaderElection;
  readonly #keys: RedisKeys;
  #webhookLog: RedisWebhookLog | undefined;
  readonly #healthTimer: NodeJS.Timeout;
  #pingFailing = false;
  #pinging = false;
  #wasHealthy = true;
  /** Health transitions are logged from the first successful connect on. */
  #started = false;
  #closed = false;

  /** Connect to Redis (waiting up to `connectTimeoutMs`) and return a ready engine. */
  static async connect(options: RedisEngineOptions): Promise<RedisEngine> {
    const engine = new RedisEngine(resolveRedisEngineOptions(options));
    try {
      await Promise.all([
        connectWithin(engine.#command, engine.#options.connectTimeoutMs),
        connectWithin(engine.#subscriber, engine.#options.connectTimeoutMs),
      ]);
    } catch (error) {
      await engine.close();
      throw error;
    }
    engine.#started = true;
    return engine;
  }

  private constructor(options: ResolvedRedisEngineOptions) {
    this.#options = options;
    const keys = new RedisKeys(options.keyPrefix);
    this.#keys = keys;
    this.#command = openRedisConnection(options, this.nodeId, 'command');
    this.#subscriber = openRedisConnection(options, this.nodeId, 'subscriber');
    const fanout = new RedisFanout(
      this.#subscriber,
      keys,
      {
        after: (channel, since) => this.broker.readAfter(channel, since),
        position: (channel) => this.broker.position(channel),
      },
      options.logger,
    );
    this.broker = new RedisBroker(this.#command, fanout, keys);
    this.presence = new RedisPresence(this.#command, keys, options.presenceTtlMs, options.logger);
    this.#leaders = new RedisLeaderElection(
      this.#command,
      keys,
      this.nodeId,
      options.leaderTtlMs,
      options.logger,
    );
    this.#command.on('ready', () => this.presence.refreshAll());
    for (const connection of [this.#command, this.#subscriber]) {
      connection.on('close', () => this.#noteHealth());
      connection.on('ready', () => this.#noteHealth());
    }
    this.#healthTimer = setInterval(() => this.#checkHealth(), options.healthCheckMs);
    this.#healthTimer.unref();
  }

  runAsLeader(name: string, task: LeaderTask): () => void {
    return this.#leaders.run(name, task);
  }

  /** Created on first use, so a node without webhooks holds no webhook lease. */
  webhookLog(options: WebhookLogOptions): WebhookLog {
    if (this.#webhookLog) this.#webhookLog.options = options;
    else {
      this.#webhookLog = new RedisWebhookLog(
        this.#command,
        this.#keys,
        this.#options.presenceTtlMs,
        this.#options.logger,
        options,
      );
      const log = this.#webhookLog;
      this.broker.webhookQueue = { key: this.#keys.webhooks().queue, options: () => log.options };
    }
    return this.#webhookLog;
  }

  healthy(): boolean {
    return (
      !this.#closed &&
      !this.#pingFailing &&
      this.#command.status === 'ready' &&
      this.#subscriber.status === 'ready'
    );
  }

  /** Release leader locks, remove this node's presence entries, and disconnect. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#healthTimer);
    await Promise.allSettled([this.#leaders.close(), this.presence.close(), this.#webhookLog?.close()]);
    await Promise.allSettled([quit(this.#command), quit(this.#subscriber)]);
  }

  #checkHealth(): void {
    if (this.#command.status !== 'ready' || this.#pinging) return;
    this.#pinging = true;
    this.#command
      .ping()
      .then(
        () => {
          this.#pingFailing = false;
        },
        () => {
          this.#pingFailing = true;
        },
      )
      .finally(() => {
        this.#pinging = false;
        this.#noteHealth();
      });
  }

  /** Log transitions only, so an outage is two lines, not one per reconnect attempt. */
  #noteHealth(): void {
    const healthy = this.healthy();
    if (!this.#started || this.#closed || healthy === this.#wasHealthy) return;
    this.#wasHealthy = healthy;
    if (healthy) this.#options.logger.info({ node: this.nodeId }, 'redis reachable again');
    else this.#options.logger.warn({ node: this.nodeId }, 'redis unreachable; retrying with backoff');
  }
}

async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
