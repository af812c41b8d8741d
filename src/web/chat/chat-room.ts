/**
 * One chat room (`chat:<room>`): messages with history on join, join/leave notices, the member list
 * from presence, and the typing indicator over `ephemeral` frames. Text is kept as plain strings and
 * rendered as text nodes only, so nothing a member sends can inject markup.
 */
import { signal } from '@preact/signals';
import type { ClientInfo, PublicationFrame, SubscribedInfo } from '../../client/types.ts';
import { chatChannel } from '../../protocol/channels.ts';
import { isChatMessage } from '../../protocol/payload-guards.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { bindChannel, currentClientId, publish, type ChannelBinding } from '../lib/hub.ts';
import { createTypingTracker, type TypingTracker } from './typing-tracker.ts';

const HISTORY_LIMIT = 50;
const MAX_ITEMS = 300;
export const MAX_MESSAGE_LENGTH = 500;

export type ChatItem =
  | {
      kind: 'message';
      key: string;
      text: string;
      from: ClientInfo | undefined;
      timestamp: string;
      seq: number;
    }
  | { kind: 'notice'; key: string; text: string; timestamp: string; seq: number };

export interface ChatRoom {
  readonly channel: string;
  readonly items: { readonly value: readonly ChatItem[] };
  readonly members: { readonly value: readonly ClientInfo[] };
  readonly typing: TypingTracker;
  send(text: string): Promise<void>;
  start(): void;
  stop(): void;
}

export function createChatRoom(room: string): ChatRoom {
  const channel = chatChannel(room);
  const items = signal<readonly ChatItem[]>([]);
  const members = signal<readonly ClientInfo[]>([]);
  let buffer: ChatItem[] = [];
  let noticeCount = 0;
  let joinedNoticeShown = false;
  let binding: ChannelBinding | undefined;
  const typing = createTypingTracker((isTyping) => {
    binding?.subscription?.ephemeral({ typing: isTyping }).catch(ignoreOffline);
  }, currentClientId);

  function render(): void {
    items.value = buffer;
  }

  function addItems(incoming: ChatItem[]): void {
    const known = new Set(buffer.map((item) => item.key));
    const fresh = incoming.filter((item) => !known.has(item.key));
    if (fresh.length === 0) return;
    // Time order (server time for messages, local time for notices), then seq within a second.
    buffer = [...buffer, ...fresh].sort(compareItems).slice(-MAX_ITEMS);
    scheduleRender(render);
  }

  function notice(text: string): void {
    noticeCount += 1;
    addItems([
      { kind: 'notice', key: `notice-${noticeCount}`, text, timestamp: new Date().toISOString(), seq: 0 },
    ]);
  }

  function toMessage(publication: PublicationFrame): ChatItem | undefined {
    if (!isChatMessage(publication.data)) return undefined;
    return {
      kind: 'message',
      key: `${publication.epoch}:${publication.seq}`,
      text: publication.data.text,
      from: publication.from,
      timestamp: publication.timestamp,
      seq: publication.seq,
    };
  }

  function onSubscribed(info: SubscribedInfo): void {
    // `first` is also true after a name change (a new connection): say "joined" once per room visit.
    if (!joinedNoticeShown) notice(`You joined #${room}`);
    else if (!info.first)
      notice(info.recovered ? 'Reconnected' : 'Reconnected (some messages may be missing)');
    joinedNoticeShown = true;
    const subscription = binding?.subscription;
    if (!subscription) return;
    subscription
      .presence()
      .then((clients) => (members.value = uniqueById(clients)))
      .catch(ignoreOffline);
    if (!info.first && info.recovered) return;
    subscription
      .history({ limit: HISTORY_LIMIT })
      .then((reply) => addItems(reply.publications.map(toMessage).filter(isItem)))
      .catch(ignoreOffline);
  }

  return {
    channel,
    items,
    members,
    typing,
    async send(text) {
      const trimmed = text.trim().slice(0, MAX_MESSAGE_LENGTH);
      if (!trimmed) return;
      typing.stopped();
      await publish(channel, { text: trimmed });
    },
    start() {
      binding ??= bindChannel(channel, {
        onSubscribed,
        onPublication(publication) {
          const message = toMessage(publication);
          if (message) addItems([message]);
        },
        onJoin(client) {
          members.value = uniqueById([...members.peek(), client]);
          if (client.id !== currentClientId()) notice(`${client.name} joined`);
        },
        onLeave(client) {
          members.value = members.peek().filter((member) => member.id !== client.id);
          typing.forget(client.id);
          if (client.id !== currentClientId()) notice(`${client.name} left`);
        },
        onEphemeral: (data, from) => typing.receive(data, from),
      });
    },
    stop() {
      typing.stopped();
      typing.dispose();
      binding?.stop();
      binding = undefined;
    },
  };
}

function compareItems(a: ChatItem, b: ChatItem): number {
  return Date.parse(a.timestamp) - Date.parse(b.timestamp) || a.seq - b.seq;
}

function isItem(item: ChatItem | undefined): item is ChatItem {
  return item !== undefined;
}

function uniqueById(clients: readonly ClientInfo[]): ClientInfo[] {
  const byId = new Map<string, ClientInfo>();
  for (const client of clients) byId.set(client.id, client);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function ignoreOffline(error: unknown): void {
  console.debug('[chat]', error);
}
