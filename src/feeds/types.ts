/**
 * A built-in feed: a producer of server-side publications. Feeds never touch sockets or engines;
 * the server hands them a FeedContext, and runs them once per cluster (see Engine.runAsLeader).
 */
import type { Logger } from 'pino';

export interface FeedContext {
  /** Publish to a channel through the hub (history, seq, fan-out all apply). */
  publish(channel: string, data: unknown): Promise<void>;
  /** Publish an activity-feed entry on `events`. */
  activity(entry: { level: 'info' | 'warn' | 'error' | 'success'; kind: string; message: string; data?: unknown }): Promise<void>;
  log: Logger;
}

export interface Feed {
  readonly name: string;
  start(context: FeedContext): void;
  stop(): void;
}
