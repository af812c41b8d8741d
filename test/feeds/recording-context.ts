/**
 * A FeedContext that records what a feed hands the hub (publishes, activity entries, warnings and
 * errors it logs). That is a feed's whole boundary, so feed tests assert on these records.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import type { ActivityPayload } from '../../src/protocol/payloads.ts';
import type { FeedContext } from '../../src/feeds/types.ts';

export interface RecordedPublish {
  channel: string;
  data: unknown;
  /** The data serialized at publish time, to catch a feed mutating what it already published. */
  json: string;
  /** Date.now() at publish time (fake time under fake timers). */
  at: number;
}

export interface RecordingContext {
  context: FeedContext;
  publishes: RecordedPublish[];
  activities: Omit<ActivityPayload, 'id' | 'timestamp'>[];
  /** Log lines at warn level or above. */
  problems: string[];
  on(channel: string): RecordedPublish[];
}

export function recordingContext(
  hub: { deliveryRate?: number; connections?: number } = {},
): RecordingContext {
  const publishes: RecordedPublish[] = [];
  const activities: RecordingContext['activities'] = [];
  const problems: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      problems.push(chunk.toString());
      done();
    },
  });
  const context: FeedContext = {
    publish(channel, data): Promise<void> {
      publishes.push({ channel, data, json: JSON.stringify(data), at: Date.now() });
      return Promise.resolve();
    },
    activity(entry): Promise<void> {
      activities.push(entry);
      return Promise.resolve();
    },
    deliveryRate: () => hub.deliveryRate ?? 0,
    connectionCount: () => hub.connections ?? 0,
    log: pino({ level: 'warn' }, sink),
  };
  return {
    context,
    publishes,
    activities,
    problems,
    on: (channel) => publishes.filter((p) => p.channel === channel),
  };
}
