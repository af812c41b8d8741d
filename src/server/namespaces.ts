/**
 * Every channel belongs to a namespace, configured here and only here: history, who may publish,
 * presence, join/leave events and the state kind (snapshot) of its channels.
 * Channel names: `ns`, `ns:suffix`, optionally ending in `#userId` (only that user may subscribe).
 */
import type { PublishApp } from '../apps/index.ts';
import type { StateKind } from '../engine/types.ts';
import { CHANNEL_NAME_PATTERN } from '../protocol/frames.ts';

export interface NamespaceOptions {
  historySize: number;
  historyTtlMs: number;
  /** `null`: only the server and the HTTP API publish. */
  clientPublish: PublishApp | null;
  presence: boolean;
  joinLeave: boolean;
  state: StateKind;
  /** `chat` alone is not a channel; `chat:lobby` is. */
  requiresSuffix: boolean;
  /** Clients may send `ephemeral` frames (typing indicators). */
  ephemeral: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const serverFeed = {
  clientPublish: null,
  presence: false,
  joinLeave: false,
  requiresSuffix: false,
  ephemeral: false,
} as const;

export const NAMESPACES: Readonly<Record<string, NamespaceOptions>> = {
  trends: { ...serverFeed, historySize: 50, historyTtlMs: 10 * MINUTE, state: 'latest' },
  /** 300 points: five minutes of charts to backfill after a reconnect. */
  metrics: { ...serverFeed, historySize: 300, historyTtlMs: 10 * MINUTE, state: 'latest' },
  stocks: { ...serverFeed, historySize: 100, historyTtlMs: 10 * MINUTE, state: 'latest' },
  events: { ...serverFeed, historySize: 200, historyTtlMs: HOUR, state: 'none' },
  notifications: { ...serverFeed, historySize: 100, historyTtlMs: HOUR, state: 'none' },
  chat: {
    historySize: 100,
    historyTtlMs: 24 * HOUR,
    clientPublish: 'chat',
    presence: true,
    joinLeave: true,
    state: 'none',
    requiresSuffix: true,
    ephemeral: true,
  },
  counter: {
    historySize: 100,
    historyTtlMs: HOUR,
    clientPublish: 'counter',
    presence: true,
    joinLeave: false,
    state: 'counter',
    requiresSuffix: true,
    ephemeral: false,
  },
  board: {
    historySize: 500,
    historyTtlMs: 24 * HOUR,
    clientPublish: 'board',
    presence: true,
    joinLeave: false,
    state: 'board',
    requiresSuffix: true,
    ephemeral: true,
  },
  echo: {
    historySize: 50,
    historyTtlMs: 10 * MINUTE,
    clientPublish: 'free',
    presence: true,
    joinLeave: true,
    state: 'none',
    requiresSuffix: false,
    ephemeral: true,
  },
};

export interface ResolvedChannel {
  channel: string;
  namespace: string;
  options: NamespaceOptions;
  /** Set for `name#userId` channels: only this authenticated user may subscribe. */
  ownerUserId?: string;
}

const channelPattern = new RegExp(CHANNEL_NAME_PATTERN);

/** The namespace and options of a channel, or `undefined` when no namespace matches. */
export function resolveChannel(channel: string): ResolvedChannel | undefined {
  if (!channelPattern.test(channel)) return undefined;
  const hash = channel.indexOf('#');
  const base = hash === -1 ? channel : channel.slice(0, hash);
  const ownerUserId = hash === -1 ? undefined : channel.slice(hash + 1);
  if (ownerUserId !== undefined && (ownerUserId === '' || ownerUserId.includes('#'))) return undefined;
  const colon = base.indexOf(':');
  const namespace = colon === -1 ? base : base.slice(0, colon);
  const suffix = colon === -1 ? '' : base.slice(colon + 1);
  if (!Object.hasOwn(NAMESPACES, namespace)) return undefined;
  const options = NAMESPACES[namespace];
  if (options.requiresSuffix && suffix === '') return undefined;
  if (colon !== -1 && suffix === '') return undefined;
  const resolved: ResolvedChannel = { channel, namespace, options };
  if (ownerUserId !== undefined) resolved.ownerUserId = ownerUserId;
  return resolved;
}
