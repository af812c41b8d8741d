/**
 * The hub: channels, subscriptions with recovery, fan-out, presence and the client count.
 * It knows clients only through `HubClient` and shared state only through the Engine seams.
 *
 * Subscribing without a gap or a duplicate: the subscriber is registered first and buffers live
 * publications while history (or the snapshot) is read; then the reply, the missed publications and
 * the buffered ones newer than the reply's position are queued, in that order, and it goes live.
 */
import { PUBLISH_APPS } from '../apps/index.ts';
import { snapshotView } from '../engine/state-reducer.ts';
import { InvalidStateInputError } from '../engine/state-input.ts';
import { CONNECTIONS_CHANNEL, type Engine, type Publication, type StreamPosition } from '../engine/types.ts';
import { ErrorCode } from '../protocol/codes.ts';
import type { ClientInfo, PublicationFrame, ServerFrame } from '../protocol/frames.ts';
import { encodeFrame, frameText } from './frame-codec.ts';
import { HubError } from './hub-error.ts';
import type { HubMetrics } from './hub-metrics.ts';
import type { BackendProxies } from './backend/proxies.ts';
import { claimsAllow } from './identity.ts';
import type { NamespaceOptions, NamespaceTable, ResolvedChannel } from './namespaces.ts';

export interface HubClient {
  readonly info: ClientInfo;
  readonly channelClaims: string[] | undefined;
  /** This client's subscriptions, owned by the hub. */
  readonly subscriptions: Map<string, Subscriber>;
  send(frame: ServerFrame): void;
  sendFramed(frame: Buffer, conflateKey?: string): void;
}

export interface Subscriber {
  client: HubClient;
  /** Live publications held back while the subscription is being set up; null once live. */
  pending: Publication[] | null;
}

interface LocalChannel {
  resolved: ResolvedChannel;
  subscribers: Map<HubClient, Subscriber>;
  /** Broker subscribe/unsubscribe calls for this channel, run one after another. */
  brokerSync: Promise<void>;
  brokerSubscribed: boolean;
}

/** What else wants to know of subscriptions (activity feed, webhooks); called after the fact, never awaited. */
export interface HubHooks {
  onSubscribe?(client: HubClient, resolved: ResolvedChannel): void;
  /** Also called for each subscription of a client that disconnects. */
  onUnsubscribe?(client: HubClient, resolved: ResolvedChannel): void;
}

export interface HubOptions {
  namespaces: NamespaceTable;
  /** Coalescing window of `client_count` pushes, ms. */
  countIntervalMs: number;
  maxSubscriptions: number;
  /** The application backend's proxies (subscribe, publish, RPC); each answers when it is not configured. */
  backend: BackendProxies;
  hooks?: HubHooks;
}

export interface SubscribeExtras {
  /** Passed to the subscribe proxy. */
  data?: unknown;
  /** Decided by the backend (connect proxy, token `subs`): no permission checks, no subscribe proxy. */
  serverSide?: boolean;
}

export function publicationFrame(p: Publication): PublicationFrame {
  const frame: PublicationFrame = {
    type: 'publication',
    channel: p.channel,
    epoch: p.epoch,
    seq: p.seq,
    data: p.data,
    timestamp: new Date(p.time).toISOString(),
  };
  if (p.from) frame.from = p.from;
  return frame;
}

/** A publisher as publications name it: who, not what the backend attached to them. */
function publisherOf(info: ClientInfo): ClientInfo {
  return info.user === undefined
    ? { id: info.id, name: info.name }
    : { id: info.id, name: info.name, user: info.user };
}

/** A publication serialized and WebSocket-framed, ready to write to any subscriber's socket. */
function framedPublication(p: Publication): Buffer {
  return frameText(encodeFrame(publicationFrame(p)));
}

/** Latest-value channels may drop intermediate frames for slow clients. */
function isConflatable(options: NamespaceOptions): boolean {
  return options.state === 'latest' || options.state === 'counter';
}

export class Hub {
  readonly #channels = new Map<string, LocalChannel>();
  readonly #clients = new Set<HubClient>();
  #lastCount = -1;
  #countTimer: NodeJS.Timeout | undefined;
  readonly #countPoll: NodeJS.Timeout;
  readonly namespaces: NamespaceTable;
  readonly #countIntervalMs: number;
  readonly #maxSubscriptions: number;
  readonly #backend: BackendProxies;
  readonly #hooks: HubHooks;

  constructor(
    private readonly engine: Engine,
    private readonly metrics: HubMetrics,
    options: HubOptions,
  ) {
    this.namespaces = options.namespaces;
    this.#countIntervalMs = options.countIntervalMs;
    this.#maxSubscriptions = options.maxSubscriptions;
    this.#backend = options.backend;
    this.#hooks = options.hooks ?? {};
    engine.broker.setEventHandler({
      onPublication: (p) => this.#fanOut(p),
      onBroadcast: (channel, frame) => this.#fanOutBroadcast(channel, frame),
    });
    // Other nodes' clients change the cluster count too; a slow poll catches those.
    this.#countPoll = setInterval(() => this.#scheduleClientCount(), Math.max(2000, this.#countIntervalMs));
    this.#countPoll.unref();
  }

  get connectionCount(): number {
    return this.#clients.size;
  }

  clients(): Iterable<HubClient> {
    return this.#clients;
  }

  async addClient(client: HubClient): Promise<number> {
    this.#clients.add(client);
    // The newcomer learns the count from its `connection` frame, which may differ from what
    // everyone else was last told: make the next push go out even if the count looks unchanged.
    this.#lastCount = -1;
    this.metrics.connections = this.#clients.size;
    await this.engine.presence.add(CONNECTIONS_CHANNEL, { ...client.info, joinedAt: Date.now() });
    this.#scheduleClientCount();
    return this.engine.presence.count(CONNECTIONS_CHANNEL);
  }

  async removeClient(client: HubClient): Promise<void> {
    if (!this.#clients.delete(client)) return;
    this.metrics.connections = this.#clients.size;
    const channels = [...client.subscriptions.keys()];
    await Promise.allSettled(channels.map((channel) => this.unsubscribe(client, channel)));
    await this.engine.presence.remove(CONNECTIONS_CHANNEL, client.info.id);
    this.#scheduleClientCount();
  }

  /** Resolve a channel a client wants to read from, or throw the reason it may not. */
  authorizeSubscribe(client: HubClient, channel: string): ResolvedChannel {
    return this.#authorize(client, this.#resolve(channel));
  }

  #authorize(client: HubClient, resolved: ResolvedChannel): ResolvedChannel {
    const { channel } = resolved;
    if (resolved.ownerUserId !== undefined && resolved.ownerUserId !== client.info.user) {
      throw new HubError(
        ErrorCode.Forbidden,
        `only user ${resolved.ownerUserId} may subscribe to ${channel}`,
      );
    }
    if (!claimsAllow(client.channelClaims, channel)) {
      throw new HubError(ErrorCode.Forbidden, `your token does not grant ${channel}`);
    }
    return resolved;
  }

  async subscribe(
    client: HubClient,
    channel: string,
    since: StreamPosition | undefined,
    id: string | undefined,
    extras: SubscribeExtras = {},
  ): Promise<void> {
    const resolved = extras.serverSide ? this.#resolve(channel) : this.authorizeSubscribe(client, channel);
    if (client.subscriptions.has(channel)) {
      throw new HubError(ErrorCode.AlreadySubscribed, `already subscribed to ${channel}`);
    }
    if (client.subscriptions.size >= this.#maxSubscriptions) {
      throw new HubError(
        ErrorCode.LimitExceeded,
        `at most ${this.#maxSubscriptions} subscriptions per connection`,
      );
    }
    const local = this.#local(resolved);
    const subscriber: Subscriber = { client, pending: [] };
    local.subscribers.set(client, subscriber);
    client.subscriptions.set(channel, subscriber);
    try {
      // Asked while the subscriber is registered, so a second subscribe meanwhile is refused.
      let presenceInfo = client.info.info;
      if (resolved.options.subscribeProxy && !extras.serverSide) {
        const info = await this.#backend.subscribe({
          client: client.info.id,
          user: client.info.user ?? '',
          channel,
          ...(extras.data === undefined ? {} : { data: extras.data }),
        });
        if (info !== undefined) presenceInfo = info;
      }
      await this.#syncBroker(local);
      const { options } = resolved;
      const { broker } = this.engine;
      let position: StreamPosition | undefined;
      let missed: Publication[] = [];
      let snapshot: unknown;
      if (since) {
        const history = await broker.history(channel, { since }, options);
        if (history.recovered) {
          position = history;
          missed = history.publications;
        }
      }
      const recovered = position !== undefined;
      if (!position) {
        const current = await broker.snapshot(channel);
        position = current;
        snapshot = snapshotView(options.state, current.state);
      }
      // The client may have left (or unsubscribed) while we waited on the engine; every request
      // still gets a reply (a gone client's reply goes nowhere).
      if (client.subscriptions.get(channel) !== subscriber) {
        throw new HubError(
          ErrorCode.NotSubscribed,
          `unsubscribed from ${channel} before the subscription completed`,
        );
      }
      const reply: ServerFrame = {
        type: 'subscribed',
        channel,
        epoch: position.epoch,
        seq: position.seq,
        recovered,
        latest: isConflatable(options),
      };
      if (id !== undefined) reply.id = id;
      if (extras.serverSide) reply.server_side = true;
      if (!recovered && options.state !== 'none') reply.snapshot = snapshot;
      client.send(reply);
      for (const p of missed) client.sendFramed(framedPublication(p));
      const held = subscriber.pending ?? [];
      subscriber.pending = null;
      const top = position;
      for (const p of held) {
        if (p.epoch !== top.epoch || p.seq > top.seq) client.sendFramed(framedPublication(p));
      }
      const member = presenceInfo === undefined ? client.info : { ...client.info, info: presenceInfo };
      if (options.presence) await this.engine.presence.add(channel, { ...member, joinedAt: Date.now() });
      if (options.joinLeave) await this.#broadcast(channel, { type: 'join', channel, client: member });
      this.#hooks.onSubscribe?.(client, resolved);
    } catch (error) {
      if (client.subscriptions.get(channel) === subscriber) {
        client.subscriptions.delete(channel);
        local.subscribers.delete(client);
        void this.#syncBroker(local).catch(() => undefined);
      }
      throw error;
    }
  }

  async unsubscribe(client: HubClient, channel: string): Promise<void> {
    const subscriber = client.subscriptions.get(channel);
    const local = this.#channels.get(channel);
    if (!subscriber || !local) throw new HubError(ErrorCode.NotSubscribed, `not subscribed to ${channel}`);
    client.subscriptions.delete(channel);
    local.subscribers.delete(client);
    const { options } = local.resolved;
    const wasLive = subscriber.pending === null;
    if (options.presence && wasLive) await this.engine.presence.remove(channel, client.info.id);
    if (options.joinLeave && wasLive)
      await this.#broadcast(channel, { type: 'leave', channel, client: client.info });
    if (wasLive) this.#hooks.onUnsubscribe?.(client, local.resolved);
    await this.#syncBroker(local);
  }

  /**
   * A client's publication: may it publish here, then (where the namespace says so) the backend's
   * publish proxy, whose version is stored instead, then the same path as every publish.
   */
  async publishFromClient(client: HubClient, channel: string, data: unknown): Promise<Publication> {
    const resolved = this.#resolve(channel);
    if (resolved.options.clientPublish === null || resolved.ownerUserId !== undefined) {
      throw new HubError(ErrorCode.Forbidden, `clients may not publish to ${channel}`);
    }
    this.#authorize(client, resolved);
    let stored = data;
    if (resolved.options.publishProxy) {
      stored = await this.#backend.publish({
        client: client.info.id,
        user: client.info.user ?? '',
        channel,
        data,
      });
    }
    // (A `client_publication` webhook is queued by the engine with the publish, in seq order.)
    return this.#publishResolved(resolved, stored, publisherOf(client.info));
  }

  /** Forward a client's RPC to the backend; resolves with the backend's `data`. */
  async rpc(client: HubClient, method: string, data: unknown): Promise<unknown> {
    return this.#backend.rpc({
      client: client.info.id,
      user: client.info.user ?? '',
      method,
      ...(data === undefined ? {} : { data }),
    });
  }

  /**
   * Publish from anywhere (server feeds, HTTP API, a client allowed to): the namespace's app checks
   * and shapes `data` first (a counter `{op}` becomes `{delta}`), so every path obeys the same rules.
   */
  async publish(channel: string, data: unknown, from?: ClientInfo): Promise<Publication> {
    return this.#publishResolved(this.#resolve(channel), data, from);
  }

  async #publishResolved(resolved: ResolvedChannel, data: unknown, from?: ClientInfo): Promise<Publication> {
    const { channel } = resolved;
    const app = resolved.options.clientPublish;
    let stored = data;
    if (app !== null) {
      const result = PUBLISH_APPS[app](data);
      if (!result.ok) throw new HubError(ErrorCode.BadRequest, result.message);
      stored = result.data;
    }
    const publication = await this.engine.broker
      .publish(channel, stored, resolved.options, from)
      .catch((error: unknown) => {
        // The engine refused the input itself (a counter pushed past the safe range): the caller's
        // fault, not a passing failure, so it is a bad request rather than "unavailable, try again".
        if (error instanceof InvalidStateInputError) throw new HubError(ErrorCode.BadRequest, error.message);
        throw error;
      });
    this.metrics.publications.inc();
    return publication;
  }

  async ephemeral(client: HubClient, channel: string, data: unknown): Promise<void> {
    const resolved = this.#resolve(channel);
    if (!resolved.options.ephemeral) {
      throw new HubError(ErrorCode.Forbidden, `ephemeral messages are not allowed on ${channel}`);
    }
    if (!client.subscriptions.has(channel)) {
      throw new HubError(ErrorCode.NotSubscribed, `subscribe to ${channel} before sending to it`);
    }
    await this.#broadcast(channel, { type: 'ephemeral', channel, data, from: client.info });
  }

  async presence(channel: string): Promise<ClientInfo[]> {
    const resolved = this.#resolve(channel);
    if (!resolved.options.presence) throw new HubError(ErrorCode.BadRequest, `${channel} has no presence`);
    const entries = await this.engine.presence.list(channel);
    return entries.map(({ joinedAt: _joinedAt, ...member }) => member);
  }

  async history(channel: string, query: { since?: StreamPosition; limit?: number }) {
    const resolved = this.#resolve(channel);
    return this.engine.broker.history(channel, query, resolved.options);
  }

  async clientCount(): Promise<number> {
    return this.engine.presence.count(CONNECTIONS_CHANNEL);
  }

  close(): void {
    clearInterval(this.#countPoll);
    clearTimeout(this.#countTimer);
  }

  #resolve(channel: string): ResolvedChannel {
    const resolved = this.namespaces.resolve(channel);
    if (!resolved) throw new HubError(ErrorCode.NotFound, `no such channel: ${channel.slice(0, 140)}`);
    return resolved;
  }

  #local(resolved: ResolvedChannel): LocalChannel {
    let local = this.#channels.get(resolved.channel);
    if (!local) {
      local = { resolved, subscribers: new Map(), brokerSync: Promise.resolve(), brokerSubscribed: false };
      this.#channels.set(resolved.channel, local);
    }
    return local;
  }

  /** Make the node-level broker subscription match whether any local client listens. */
  #syncBroker(local: LocalChannel): Promise<void> {
    const { broker } = this.engine;
    const run = local.brokerSync.then(async () => {
      const wanted = local.subscribers.size > 0;
      if (wanted && !local.brokerSubscribed) {
        await broker.subscribe(local.resolved.channel);
        local.brokerSubscribed = true;
      } else if (!wanted && local.brokerSubscribed) {
        await broker.unsubscribe(local.resolved.channel);
        local.brokerSubscribed = false;
      }
      if (!wanted && !local.brokerSubscribed && this.#channels.get(local.resolved.channel) === local) {
        this.#channels.delete(local.resolved.channel);
      }
    });
    local.brokerSync = run.catch(() => undefined);
    return run;
  }

  #fanOut(publication: Publication): void {
    const local = this.#channels.get(publication.channel);
    if (!local || local.subscribers.size === 0) return;
    const frame = framedPublication(publication);
    const conflateKey = isConflatable(local.resolved.options) ? publication.channel : undefined;
    let delivered = 0;
    for (const subscriber of local.subscribers.values()) {
      if (subscriber.pending) {
        subscriber.pending.push(publication);
      } else {
        subscriber.client.sendFramed(frame, conflateKey);
        delivered += 1;
      }
    }
    this.metrics.deliveries += delivered;
  }

  #fanOutBroadcast(channel: string, text: string): void {
    const local = this.#channels.get(channel);
    if (!local) return;
    const frame = frameText(text);
    for (const subscriber of local.subscribers.values()) {
      if (!subscriber.pending) subscriber.client.sendFramed(frame);
    }
  }

  #broadcast(channel: string, frame: ServerFrame): Promise<void> {
    return this.engine.broker.broadcast(channel, encodeFrame(frame));
  }

  /** Push `client_count` to everyone, at most once per interval, only when it changed. */
  #scheduleClientCount(): void {
    if (this.#countTimer) return;
    this.#countTimer = setTimeout(() => {
      this.#countTimer = undefined;
      this.engine.presence.count(CONNECTIONS_CHANNEL).then(
        (count) => {
          if (count === this.#lastCount) return;
          this.#lastCount = count;
          const frame = frameText(encodeFrame({ type: 'client_count', count }));
          for (const client of this.#clients) client.sendFramed(frame);
        },
        () => undefined, // engine unreachable: the next change or poll retries
      );
    }, this.#countIntervalMs);
    this.#countTimer.unref();
  }
}
