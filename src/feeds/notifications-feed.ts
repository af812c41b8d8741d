/**
 * The demo `notifications` feed: a random notification from the catalog every 5–15 s (each delay
 * drawn anew). Notifications sent through the HTTP API are the server's; this feed only makes noise
 * worth looking at in a demo.
 */
import { randomUUID } from 'node:crypto';
import { Channel } from '../protocol/channels.ts';
import { isoTime, systemClock, type Clock } from './clock.ts';
import { publishLogged } from './feed-output.ts';
import { NOTIFICATION_TEMPLATES } from './notification-catalog.ts';
import type { NotificationPayload } from '../protocol/payloads.ts';
import { pick, randomBetween, type Random } from './random.ts';
import type { Feed, FeedContext } from './types.ts';

export interface NotificationsFeedOptions {
  /** Shortest and longest delay between two notifications; default 5000 and 15000 ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: Random;
  clock?: Clock;
}

export class NotificationsFeed implements Feed {
  readonly name = 'notifications';
  readonly #minDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #random: Random;
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: NotificationsFeedOptions = {}) {
    this.#minDelayMs = options.minDelayMs ?? 5000;
    this.#maxDelayMs = options.maxDelayMs ?? 15_000;
    if (!(this.#minDelayMs > 0 && this.#maxDelayMs >= this.#minDelayMs)) {
      throw new Error('notification delays must satisfy 0 < minDelayMs <= maxDelayMs');
    }
    this.#random = options.random ?? Math.random;
    this.#clock = options.clock ?? systemClock;
  }

  start(context: FeedContext): void {
    if (this.#timer) throw new Error('notifications feed already started');
    this.#schedule(context);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** A random demo notification (exposed for tests and for a "send test notification" button). */
  next(): NotificationPayload {
    const template = pick(this.#random, NOTIFICATION_TEMPLATES);
    return {
      id: randomUUID(),
      level: template.level,
      title: template.title,
      message: template.message(this.#random),
      timestamp: isoTime(this.#clock),
    };
  }

  #schedule(context: FeedContext): void {
    const delay = Math.round(randomBetween(this.#random, this.#minDelayMs, this.#maxDelayMs));
    const fire = (): void => {
      this.#schedule(context);
      void publishLogged(context, Channel.Notifications, this.next());
    };
    this.#timer = setTimeout(fire, delay);
    this.#timer.unref();
  }
}
