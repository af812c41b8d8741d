/**
 * Leader election for tasks that must run once per cluster (the built-in feeds): a lock key set
 * with SET NX PX and renewed by its owner every third of the TTL. Followers retry as often, so when
 * the leader dies its lock expires and another node starts the task within about the TTL.
 * A leader that cannot renew (Redis unreachable) stops its task before the lock could pass on.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisKeys } from './redis-keys.ts';
import type { EngineLogger } from './redis-options.ts';
import { LEADER_RELEASE_SCRIPT, LEADER_RENEW_SCRIPT } from './scripts/leader-scripts.ts';
import type { LeaderTask } from '../types.ts';

interface Candidacy {
  name: string;
  key: string;
  token: string;
  task: LeaderTask;
  leading: boolean;
  /** When the last successful acquire or renew was sent (local clock). */
  confirmedAt: number;
  busy: boolean;
  released: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class RedisLeaderElection {
  readonly #candidacies = new Set<Candidacy>();

  constructor(
    private readonly command: Redis,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
    private readonly ttlMs: number,
    private readonly logger: EngineLogger,
  ) {}

  run(name: string, task: LeaderTask): () => void {
    const candidacy: Candidacy = {
      name,
      key: this.keys.leader(name),
      token: `${this.nodeId}:${randomBytes(6).toString('base64url')}`,
      task,
      leading: false,
      confirmedAt: 0,
      busy: false,
      released: false,
      timer: undefined,
    };
    this.#candidacies.add(candidacy);
    candidacy.timer = setInterval(() => this.#tick(candidacy), Math.floor(this.ttlMs / 3));
    candidacy.timer.unref();
    this.#tick(candidacy);
    return () => {
      void this.#release(candidacy);
    };
  }

  /** Release every lock this node holds (graceful shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.#candidacies].map((candidacy) => this.#release(candidacy)));
  }

  #tick(candidacy: Candidacy): void {
    if (candidacy.released) return;
    // Give up before the lock can expire in Redis: another node may take it from then on.
    if (candidacy.leading && Date.now() - candidacy.confirmedAt > (this.ttlMs * 2) / 3) {
      this.logger.warn({ task: candidacy.name }, 'leader lock not renewed in time; stopping the task');
      this.#stopTask(candidacy);
    }
    if (candidacy.busy) return;
    candidacy.busy = true;
    this.#attempt(candidacy)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, task: candidacy.name }, 'leader lock check failed'),
      )
      .finally(() => {
        candidacy.busy = false;
      });
  }

  async #attempt(candidacy: Candidacy): Promise<void> {
    const sentAt = Date.now();
    if (candidacy.leading) {
      const renewed = await LEADER_RENEW_SCRIPT.run(
        this.command,
        [candidacy.key],
        [candidacy.token, this.ttlMs],
      );
      if (!candidacy.leading) return;
      if (Number(renewed) === 1) candidacy.confirmedAt = sentAt;
      else {
        this.logger.warn({ task: candidacy.name }, 'leader lock lost; stopping the task');
        this.#stopTask(candidacy);
      }
      return;
    }
    const acquired = await this.command.set(candidacy.key, candidacy.token, 'PX', this.ttlMs, 'NX');
    if (acquired !== 'OK') return;
    if (candidacy.released) {
      await LEADER_RELEASE_SCRIPT.run(this.command, [candidacy.key], [candidacy.token]);
      return;
    }
    candidacy.leading = true;
    candidacy.confirmedAt = sentAt;
    this.logger.info({ task: candidacy.name }, 'leader lock acquired; starting the task');
    try {
      candidacy.task.start();
    } catch (error) {
      this.logger.warn({ err: error, task: candidacy.name }, 'leader task failed to start');
    }
  }

  #stopTask(candidacy: Candidacy): void {
    if (!candidacy.leading) return;
    candidacy.leading = false;
    try {
      candidacy.task.stop();
    } catch (error) {
      this.logger.warn({ err: error, task: candidacy.name }, 'leader task failed to stop');
    }
  }

  async #release(candidacy: Candidacy): Promise<void> {
    if (candidacy.released) return;
    candidacy.released = true;
    this.#candidacies.delete(candidacy);
    clearInterval(candidacy.timer);
    const wasLeading = candidacy.leading;
    this.#stopTask(candidacy);
    if (!wasLeading) return;
    await LEADER_RELEASE_SCRIPT.run(this.command, [candidacy.key], [candidacy.token]).catch(
      (error: unknown) => {
        this.logger.warn(
          { err: error, task: candidacy.name },
          'leader lock not released; it expires by itself',
        );
      },
    );
  }
}
