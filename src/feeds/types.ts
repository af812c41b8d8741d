/**
 * A built-in feed: a producer of server-side publications. Feeds never touch sockets or engines;
 * the server hands them a FeedContext, and runs them once per cluster (see Engine.runAsLeader).
 */
import type { Logger } from 'pino';
import type { ActivityPayload } from '../protocol/payloads.ts';

export interface FeedContext {
  /** Publish to a channel through the hub (history, seq, fan-out all apply). */
  publish(channel: string, data: unknown): Promise<void>;
  /** Publish an activity-feed entry on `events`. */
  activity(entry: Omit<ActivityPayload, 'id' | 'timestamp'>): Promise<void>;
  /** Messages per second the hub delivered over the last second (for the metrics `data` series). */
  deliveryRate(): number;
  /** Connections on this hub now. */
  connectionCount(): number;
  log: Logger;
}

export interface Feed {
  readonly name: string;
  start(context: FeedContext): void;
  stop(): void;
}
