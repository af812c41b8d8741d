/** In-process PresenceManager: one map of client id to entry per channel. */
import type { PresenceEntry, PresenceManager } from '../types.ts';

export class MemoryPresence implements PresenceManager {
  #channels = new Map<string, Map<string, PresenceEntry>>();

  add(channel: string, entry: PresenceEntry): Promise<void> {
    let members = this.#channels.get(channel);
    if (!members) {
      members = new Map();
      this.#channels.set(channel, members);
    }
    members.set(entry.id, { ...entry });
    return Promise.resolve();
  }

  remove(channel: string, clientId: string): Promise<void> {
    const members = this.#channels.get(channel);
    if (members?.delete(clientId) && members.size === 0) this.#channels.delete(channel);
    return Promise.resolve();
  }

  list(channel: string): Promise<PresenceEntry[]> {
    return Promise.resolve([...(this.#channels.get(channel)?.values() ?? [])].map((e) => ({ ...e })));
  }

  count(channel: string): Promise<number> {
    return Promise.resolve(this.#channels.get(channel)?.size ?? 0);
  }
}
