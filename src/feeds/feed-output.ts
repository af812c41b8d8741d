/**
 * How feeds hand data to the hub without ever letting a failed publish become an unhandled
 * rejection: every failure is logged with the feed and channel, and the feed keeps running.
 */
import type { ActivityPayload } from '../protocol/payloads.ts';
import type { FeedContext } from './types.ts';

export async function publishLogged(context: FeedContext, channel: string, data: unknown): Promise<void> {
  try {
    await context.publish(channel, data);
  } catch (error) {
    context.log.warn({ err: error, channel }, 'feed publish failed');
  }
}

export async function activityLogged(
  context: FeedContext,
  entry: Omit<ActivityPayload, 'id' | 'timestamp'>,
): Promise<void> {
  try {
    await context.activity(entry);
  } catch (error) {
    context.log.warn({ err: error, kind: entry.kind }, 'feed activity entry failed');
  }
}
