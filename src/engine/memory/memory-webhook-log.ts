/**
 * The webhook log in this process (see WebhookLog in ../types.ts): live subscriptions counted per
 * channel and per member, removals scheduled `debounceMs` ahead and cancelled by a join in time, one
 * bounded queue of events and the batch being delivered. The Redis engine runs the same rules in Lua.
 */
import type {
  WebhookBatch,
  WebhookEvent,
  WebhookLog,
  WebhookLogOptions,
  WebhookSubscription,
} from '../types.ts';

interface PendingRemoval {
  due: number;
  event: WebhookEvent;
}

export class MemoryWebhookLog implements WebhookLog {
  options: WebhookLogOptions;
  /** `channel \n client` → member key ('' when the channel has no presence). */
  readonly #subscriptions = new Map<string, string>();
  readonly #channels = new Map<string, number>();
  /** `channel \n member` → live subscriptions of that member. */
  readonly #members = new Map<string, number>();
  /** `v \n channel` or `m \n channel \n member` → the removal waiting for its debounce. */
  readonly #pending = new Map<string, PendingRemoval>();
  #queue: WebhookEvent[] = [];
  #batch: WebhookBatch | undefined;

  constructor(options: WebhookLogOptions) {
    this.options = options;
  }

  join({ channel, client, member = '' }: WebhookSubscription): Promise<void> {
    const key = `${channel}\n${client}`;
    if (this.#subscriptions.has(key)) return Promise.resolve();
    this.#subscriptions.set(key, member);
    const now = Date.now();
    const events: WebhookEvent[] = [];
    if (increment(this.#channels, channel, 1) === 1 && !this.#pending.delete(`v\n${channel}`)) {
      events.push({ name: 'channel_occupied', channel, time_ms: now });
    }
    if (member !== '') {
      const memberKey = `${channel}\n${member}`;
      if (increment(this.#members, memberKey, 1) === 1 && !this.#pending.delete(`m\n${memberKey}`)) {
        events.push(memberEvent('member_added', channel, member, now));
      }
    }
    this.#push(events);
    return Promise.resolve();
  }

  leave(channel: string, client: string): Promise<void> {
    const key = `${channel}\n${client}`;
    const member = this.#subscriptions.get(key);
    if (member === undefined) return Promise.resolve();
    this.#subscriptions.delete(key);
    const now = Date.now();
    const due = now + this.options.debounceMs;
    if (member !== '') {
      const memberKey = `${channel}\n${member}`;
      if (increment(this.#members, memberKey, -1) === 0) {
        this.#pending.set(`m\n${memberKey}`, {
          due,
          event: memberEvent('member_removed', channel, member, now),
        });
      }
    }
    if (increment(this.#channels, channel, -1) === 0) {
      this.#pending.set(`v\n${channel}`, { due, event: { name: 'channel_vacated', channel, time_ms: now } });
    }
    return Promise.resolve();
  }

  append(event: WebhookEvent): Promise<void> {
    this.#push([event]);
    return Promise.resolve();
  }

  promote(): Promise<void> {
    const now = Date.now();
    // Due order, then key order on a tie (a member's removal before its channel's vacancy), as in Redis.
    const due = [...this.#pending]
      .filter(([, pending]) => pending.due <= now)
      .sort(([ka, a], [kb, b]) => a.due - b.due || (ka < kb ? -1 : ka > kb ? 1 : 0));
    for (const [key] of due) this.#pending.delete(key);
    this.#push(due.map(([, pending]) => pending.event));
    return Promise.resolve();
  }

  take(max: number, id: string): Promise<WebhookBatch | undefined> {
    if (!this.#batch && this.#queue.length > 0) {
      this.#batch = { id, time: Date.now(), events: this.#queue.slice(0, max) };
      this.#queue = this.#queue.slice(max);
    }
    return Promise.resolve(this.#batch && { ...this.#batch, events: [...this.#batch.events] });
  }

  ack(id: string): Promise<void> {
    if (this.#batch?.id === id) this.#batch = undefined;
    return Promise.resolve();
  }

  size(): Promise<number> {
    return Promise.resolve(this.#queue.length);
  }

  /** Queue `events`, dropping (and reporting) the oldest beyond `maxQueue`. */
  #push(events: WebhookEvent[]): void {
    if (events.length === 0) return;
    this.#queue.push(...events);
    const excess = this.#queue.length - Math.max(1, this.options.maxQueue);
    if (excess <= 0) return;
    this.#queue.splice(0, excess);
    this.options.onDropped?.(excess);
  }
}

/** Adds `delta` to a count, forgetting it at zero; returns the new count. */
function increment(counts: Map<string, number>, key: string, delta: number): number {
  const next = (counts.get(key) ?? 0) + delta;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
  return Math.max(0, next);
}

function memberEvent(
  name: 'member_added' | 'member_removed',
  channel: string,
  member: string,
  time: number,
): WebhookEvent {
  const id = member.slice(2);
  return member.startsWith('u:')
    ? { name, channel, user: id, time_ms: time }
    : { name, channel, client: id, time_ms: time };
}
