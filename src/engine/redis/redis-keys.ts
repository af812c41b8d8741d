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

/** The webhook log's keys, all under one hash tag so its scripts touch a single slot. */
export interface WebhookKeys {
  /** Hash: `channel \n client` → `lease \n member` of each live subscription. */
  subscriptions: string;
  /** Hash: channel → live subscriptions. */
  channels: string;
  /** Hash: `channel \n member` → live subscriptions of that member. */
  members: string;
  /** Sorted set: pending removal key → due time (Redis clock); hash: the same key → event JSON. */
  pending: string;
  pendingEvents: string;
  /** List of queued event JSON, oldest first (client publications are pushed by the publish script). */
  queue: string;
  /** Hash of the batch being delivered: `id`, `time`, `events` (a JSON array). */
  batch: string;
  /** Sorted set: node lease → expiry; set: expired leases whose subscriptions are being ended. */
  leases: string;
  deadLeases: string;
  /** Prefix of the set of subscription fields held under one lease. */
  leaseSetPrefix: string;
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

  webhooks(): WebhookKeys {
    const base = `${this.prefix}wh:{webhooks}:`;
    return {
      subscriptions: `${base}subs`,
      channels: `${base}channels`,
      members: `${base}members`,
      pending: `${base}pending`,
      pendingEvents: `${base}pending-events`,
      queue: `${base}queue`,
      batch: `${base}batch`,
      leases: `${base}leases`,
      deadLeases: `${base}dead-leases`,
      leaseSetPrefix: `${base}lease:`,
    };
  }

  leader(name: string): string {
    return `${this.prefix}leader:${name}`;
  }
}
