/** Shapes shared by the webhook log of every engine: member keys and the publication event. */
import type { ClientInfo, Publication, WebhookEvent } from './types.ts';

/** The member key of a client on a presence channel: per user, or per connection when anonymous. */
export function webhookMemberKey(client: ClientInfo): string {
  return client.user !== undefined && client.user !== '' ? `u:${client.user}` : `c:${client.id}`;
}

/** The event's fields that come before the publication's own (`data`, `epoch`, `seq`, `time_ms`). */
export function publicationEventHead(channel: string, from: ClientInfo): Omit<WebhookEvent, 'time_ms'> {
  return {
    name: 'client_publication',
    channel,
    client: from.id,
    ...(from.user === undefined ? {} : { user: from.user }),
  };
}

/** The `client_publication` event of a client's publication (which has `from`). */
export function publicationEvent(publication: Publication & { from: ClientInfo }): WebhookEvent {
  const { channel, from, data, epoch, seq, time } = publication;
  return { ...publicationEventHead(channel, from), data, epoch, seq, time_ms: time };
}
