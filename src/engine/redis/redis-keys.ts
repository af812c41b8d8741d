/**
 * Every Redis key and pub/sub channel name the engine uses, in one place.
 * A channel's keys share the hash tag `{channel}`, so the multi-key Lua scripts stay on one slot.
 * Channel names cannot contain `{`, `}`, `*` or `?` (see CHANNEL_NAME_PATTERN), which keeps these
 * names unambiguous and the SCAN pattern literal.
 */

export interface ChannelKeys {
  /** Hash: `epoch`, `seq`, `kind` and the state of latest/counter channels. */
  meta: string;
  /** Stream of publications; entry id `<seq>-0`, fields `d` (data), `t` (time), `f` (from). */
  history: string;
  /** List of a board's strokes (JSON), oldest first. */
  strokes: string;
}

export class RedisKeys {
  constructor(readonly prefix: string) {}

  channel(channel: string): ChannelKeys {
    const base = `${this.prefix}ch:{${channel}}`;
    return { meta: `${base}:meta`, history: `${base}:hist`, strokes: `${base}:strokes` };
  }

  /** SCAN pattern matching every channel's meta key. */
  metaPattern(): string {
    return `${this.prefix}ch:{*}:meta`;
  }

  /** The channel name of a meta key found by `metaPattern`, or undefined for a foreign key. */
  channelOfMeta(key: string): string | undefined {
    const head = `${this.prefix}ch:{`;
    const tail = '}:meta';
    if (!key.startsWith(head) || !key.endsWith(tail)) return undefined;
    return key.slice(head.length, key.length - tail.length);
  }

  /** The pub/sub channel carrying a channel's publications and broadcasts. */
  events(channel: string): string {
    return `${this.prefix}ev:${channel}`;
  }

  channelOfEvents(pubsubChannel: string): string | undefined {
    const head = `${this.prefix}ev:`;
    return pubsubChannel.startsWith(head) ? pubsubChannel.slice(head.length) : undefined;
  }

  /** Presence of a channel: a hash of entries and a sorted set of their expiry times. */
  presence(channel: string): { members: string; expiry: string } {
    const base = `${this.prefix}pr:{${channel}}`;
    return { members: `${base}:members`, expiry: `${base}:expiry` };
  }

  leader(name: string): string {
    return `${this.prefix}leader:${name}`;
  }
}
