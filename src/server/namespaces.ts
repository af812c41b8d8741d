/**
 * Every channel belongs to a namespace: history, who may publish, presence, join/leave events, the
 * state kind (snapshot) of its channels, and which backend proxies it calls. The built-in table below
 * is the default; the config file's `namespaces` overrides, adds or switches off entries
 * (namespace-config.ts), and the result is one NamespaceTable the hub and the HTTP API share.
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
  /** `name#userId` channels exist (only that user may subscribe). */
  userChannels: boolean;
  /** Ask the backend (`--subscribe-proxy`) before a client subscribes. */
  subscribeProxy: boolean;
  /** Send client publications to the backend (`--publish-proxy`) before storing them. */
  publishProxy: boolean;
  /** Client publications raise a `client_publication` webhook event. */
  publicationWebhook: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** What every namespace has unless it says otherwise (also the defaults of a namespace from config). */
export const NAMESPACE_DEFAULTS: NamespaceOptions = {
  historySize: 100,
  historyTtlMs: 10 * MINUTE,
  clientPublish: null,
  presence: false,
  joinLeave: false,
  state: 'none',
  requiresSuffix: false,
  ephemeral: false,
  userChannels: true,
  subscribeProxy: false,
  publishProxy: false,
  publicationWebhook: false,
};

const d = NAMESPACE_DEFAULTS;

export const BUILT_IN_NAMESPACES: Readonly<Record<string, NamespaceOptions>> = {
  trends: { ...d, historySize: 50, state: 'latest' },
  /** 300 points: five minutes of charts to backfill after a reconnect. */
  metrics: { ...d, historySize: 300, state: 'latest' },
  stocks: { ...d, historySize: 100, state: 'latest' },
  events: { ...d, historySize: 200, historyTtlMs: HOUR },
  notifications: { ...d, historySize: 100, historyTtlMs: HOUR },
  chat: {
    ...d,
    historySize: 100,
    historyTtlMs: 24 * HOUR,
    clientPublish: 'chat',
    presence: true,
    joinLeave: true,
    requiresSuffix: true,
    ephemeral: true,
  },
  counter: {
    ...d,
    historySize: 100,
    historyTtlMs: HOUR,
    clientPublish: 'counter',
    presence: true,
    state: 'counter',
    requiresSuffix: true,
  },
  board: {
    ...d,
    historySize: 500,
    historyTtlMs: 24 * HOUR,
    clientPublish: 'board',
    presence: true,
    state: 'board',
    requiresSuffix: true,
    ephemeral: true,
  },
  echo: {
    ...d,
    historySize: 50,
    clientPublish: 'free',
    presence: true,
    joinLeave: true,
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

/** The namespaces of one server, fixed at start. */
export class NamespaceTable {
  readonly #table: ReadonlyMap<string, NamespaceOptions>;

  constructor(table: Readonly<Record<string, NamespaceOptions>>) {
    this.#table = new Map(Object.entries(table));
  }

  entries(): Iterable<[string, NamespaceOptions]> {
    return this.#table.entries();
  }

  get(namespace: string): NamespaceOptions | undefined {
    return this.#table.get(namespace);
  }

  /** The namespace and options of a channel, or `undefined` when no namespace matches. */
  resolve(channel: string): ResolvedChannel | undefined {
    if (!channelPattern.test(channel)) return undefined;
    const hash = channel.indexOf('#');
    const base = hash === -1 ? channel : channel.slice(0, hash);
    const ownerUserId = hash === -1 ? undefined : channel.slice(hash + 1);
    if (ownerUserId !== undefined && (ownerUserId === '' || ownerUserId.includes('#'))) return undefined;
    const colon = base.indexOf(':');
    const namespace = colon === -1 ? base : base.slice(0, colon);
    const suffix = colon === -1 ? '' : base.slice(colon + 1);
    const options = this.#table.get(namespace);
    if (!options) return undefined;
    if (ownerUserId !== undefined && !options.userChannels) return undefined;
    if (options.requiresSuffix && suffix === '') return undefined;
    if (colon !== -1 && suffix === '') return undefined;
    const resolved: ResolvedChannel = { channel, namespace, options };
    if (ownerUserId !== undefined) resolved.ownerUserId = ownerUserId;
    return resolved;
  }
}

/** The built-in namespaces alone (a server with no `namespaces` config). */
export const BUILT_IN_TABLE = new NamespaceTable(BUILT_IN_NAMESPACES);
