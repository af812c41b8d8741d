/**
 * Presence across nodes. Each node writes its own clients' entries with an expiry and refreshes
 * them every third of the TTL; readers sweep out expired entries first. So a crashed node's clients
 * vanish within `presenceTtlMs`, and a Redis that lost its data is refilled by the next refresh.
 *
 * `add` and `remove` record locally first and never fail because Redis is down (the refresh loop
 * reconciles); `list` and `count` need Redis and reject while it is unreachable.
 */
import type { Redis } from 'ioredis';
import { integer, replyArray, text } from './redis-codec.ts';
import type { RedisKeys } from './redis-keys.ts';
import type { EngineLogger } from './redis-options.ts';
import {
  PRESENCE_ADD_SCRIPT,
  PRESENCE_COUNT_SCRIPT,
  PRESENCE_LIST_SCRIPT,
  PRESENCE_REMOVE_SCRIPT,
} from './scripts/presence-scripts.ts';
import type { PresenceEntry, PresenceManager } from '../types.ts';

/** Entries per script call when refreshing a large channel (e.g. every connection of a node). */
const REFRESH_BATCH = 500;

export class RedisPresence implements PresenceManager {
  /** This node's entries: channel → client id → entry JSON. */
  readonly #local = new Map<string, Map<string, string>>();
  readonly #timer: NodeJS.Timeout;
  #refreshing = false;

  constructor(
    private readonly command: Redis,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
    private readonly logger: EngineLogger,
  ) {
    this.#timer = setInterval(() => this.refreshAll(), Math.floor(ttlMs / 3));
    this.#timer.unref();
  }

  async add(channel: string, entry: PresenceEntry): Promise<void> {
    const json = JSON.stringify(entry);
    let members = this.#local.get(channel);
    if (!members) {
      members = new Map();
      this.#local.set(channel, members);
    }
    members.set(entry.id, json);
    await this.#write(channel, [[entry.id, json]]).catch((error: unknown) => {
      this.logger.warn({ err: error, channel }, 'presence add not written; the refresh will retry');
    });
  }

  async remove(channel: string, clientId: string): Promise<void> {
    const members = this.#local.get(channel);
    if (members?.delete(clientId) && members.size === 0) this.#local.delete(channel);
    const keys = this.keys.presence(channel);
    await PRESENCE_REMOVE_SCRIPT.run(this.command, [keys.members, keys.expiry], [clientId]).catch(
      (error: unknown) => {
        this.logger.warn({ err: error, channel }, 'presence remove not written; the entry expires by itself');
      },
    );
  }

  async list(channel: string): Promise<PresenceEntry[]> {
    const keys = this.keys.presence(channel);
    const reply = replyArray(
      await PRESENCE_LIST_SCRIPT.run(this.command, [keys.members, keys.expiry], []),
      'list',
    );
    return reply
      .map((json) => JSON.parse(text(json)) as PresenceEntry)
      .sort((a, b) => a.joinedAt - b.joinedAt);
  }

  async count(channel: string): Promise<number> {
    const keys = this.keys.presence(channel);
    return integer(await PRESENCE_COUNT_SCRIPT.run(this.command, [keys.members, keys.expiry], []));
  }

  /** Re-write every entry of this node with a fresh expiry (also after Redis comes back). */
  refreshAll(): void {
    if (this.#refreshing || this.command.status !== 'ready') return;
    this.#refreshing = true;
    this.#refresh()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'presence refresh failed'))
      .finally(() => {
        this.#refreshing = false;
      });
  }

  /** Stop refreshing and delete this node's entries (graceful shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    const removals = [...this.#local].flatMap(([channel, members]) =>
      [...members.keys()].map((id) => this.remove(channel, id)),
    );
    await Promise.all(removals);
  }

  async #refresh(): Promise<void> {
    for (const [channel, members] of [...this.#local]) {
      const entries = [...members];
      for (let i = 0; i < entries.length; i += REFRESH_BATCH) {
        await this.#write(channel, entries.slice(i, i + REFRESH_BATCH));
      }
    }
  }

  async #write(channel: string, entries: [string, string][]): Promise<void> {
    const keys = this.keys.presence(channel);
    await PRESENCE_ADD_SCRIPT.run(this.command, [keys.members, keys.expiry], [this.ttlMs, ...entries.flat()]);
  }
}
