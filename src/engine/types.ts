/**
 * The seams between the hub and its shared state. The in-memory engine (embedded default) and the
 * Redis engine (scale-out) implement them, and both run the same contract suites in test/contract/.
 *
 * The rule that makes recovery work: for one channel, assigning `seq`, saving to history, updating
 * the channel state and delivering to subscribers happen atomically and in seq order.
 * Every method is async and takes and returns plain JSON-able values, so a networked engine fits.
 */
import type { ClientInfo, StreamPosition } from '../protocol/frames.ts';

export type { ClientInfo, StreamPosition };

/**
 * How a channel keeps state for late joiners (its snapshot):
 * - `none`: no snapshot, history only;
 * - `latest`: the snapshot is the last published data (trends, metrics, stocks);
 * - `counter`: publish data is `{delta}` (a safe integer); the engine adds it and publishes `{value}`;
 * - `board`: publish data is `{op:'stroke',...}` (appended) or `{op:'clear'}`; the snapshot is the stroke list.
 */
export type StateKind = 'none' | 'latest' | 'counter' | 'board';

export interface PublishOptions {
  historySize: number;
  historyTtlMs: number;
  state: StateKind;
  /** Upper bound of a board's stored strokes; older strokes are dropped first. */
  maxStrokes?: number;
  /**
   * A publication with a `from` (a client's) also queues a `client_publication` webhook event,
   * atomically with its seq, when the engine's webhook log is open (see WebhookLog).
   */
  publicationWebhook?: boolean;
}

export interface Publication {
  channel: string;
  epoch: string;
  seq: number;
  data: unknown;
  /** Milliseconds since the epoch at which the engine accepted it. */
  time: number;
  from?: ClientInfo;
}

export interface HistoryQuery {
  /** Return what follows this position; without it, the newest `limit` publications. */
  since?: StreamPosition;
  limit?: number;
}

export interface HistoryResult extends StreamPosition {
  publications: Publication[];
  /** With `since`: true when `publications` are exactly everything after it. */
  recovered: boolean;
}

export interface Snapshot extends StreamPosition {
  /** The channel state (see StateKind); `undefined` when the channel has none yet. */
  state: unknown;
}

export interface ChannelSummary {
  channel: string;
  epoch: string;
  seq: number;
}

export interface BrokerEventHandler {
  /** A publication on a channel this node subscribed to, in seq order per channel. */
  onPublication(publication: Publication): void;
  /** An ephemeral message: a serialized server frame, delivered as is and never stored. */
  onBroadcast(channel: string, frame: string): void;
}

export interface Broker {
  setEventHandler(handler: BrokerEventHandler): void;
  /** Start delivering this channel's events to this node (once per node, not per client). */
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /**
   * Rejects with InvalidStateInputError (state-input.ts) when `data` does not fit `options.state`
   * (a counter delta that is not a safe integer, or would take the counter out of that range);
   * then nothing is stored, seq does not advance and nothing is delivered.
   */
  publish(channel: string, data: unknown, options: PublishOptions, from?: ClientInfo): Promise<Publication>;
  broadcast(channel: string, frame: string): Promise<void>;
  history(channel: string, query: HistoryQuery, options: PublishOptions): Promise<HistoryResult>;
  /** The channel state and the position it reflects, read atomically. */
  snapshot(channel: string): Promise<Snapshot>;
  channels(): Promise<ChannelSummary[]>;
}

export interface PresenceEntry extends ClientInfo {
  /** Milliseconds since the epoch at which the client joined. */
  joinedAt: number;
}

export interface PresenceManager {
  add(channel: string, entry: PresenceEntry): Promise<void>;
  remove(channel: string, clientId: string): Promise<void>;
  list(channel: string): Promise<PresenceEntry[]>;
  count(channel: string): Promise<number>;
}

/** A task that must run once per cluster (the built-in feeds). */
export interface LeaderTask {
  start(): void;
  stop(): void;
}

/** What a webhook receiver is told about (see src/server/webhooks/). */
export type WebhookEventName =
  'channel_occupied' | 'channel_vacated' | 'member_added' | 'member_removed' | 'client_publication';

export interface WebhookEvent {
  name: WebhookEventName;
  channel: string;
  /** When it happened, ms since the epoch (a debounced removal: when the member left, not when it was sent). */
  time_ms: number;
  /** Member events: the user; a client publication: the publisher's user, if any. */
  user?: string;
  /** Member events of an anonymous member (counted by connection); a client publication: the publisher. */
  client?: string;
  /** A client publication: what was stored, and where. */
  data?: unknown;
  epoch?: string;
  seq?: number;
}

/** A client's live subscription, as the webhook log counts it. */
export interface WebhookSubscription {
  channel: string;
  /** The connection's client id. */
  client: string;
  /**
   * Set on presence channels only: the member key, counted per user (`u:<user>`, one member however
   * many tabs) or, for an anonymous connection, per connection (`c:<client id>`). See webhook-events.ts.
   */
  member?: string;
}

export interface WebhookLogOptions {
  /** A channel (member) must stay empty (away) this long before `channel_vacated` (`member_removed`). */
  debounceMs: number;
  /** Events waiting for delivery, at most; beyond, the oldest are dropped. */
  maxQueue: number;
  /** Told how many events were just dropped to keep the queue within `maxQueue` (on this node). */
  onDropped?(count: number): void;
}

/** Events taken for delivery, with an id that stays the same until the batch is acknowledged. */
export interface WebhookBatch {
  id: string;
  /** When the batch was formed, ms since the epoch. */
  time: number;
  events: WebhookEvent[];
}

/**
 * The cluster's webhook facts and the one ordered queue of events decided from them. Client
 * publications are queued by the broker itself, in the publish (PublishOptions.publicationWebhook),
 * so a channel's publication events are in seq order whichever nodes published them. Every method
 * decides atomically in the shared store, so with several nodes each event is queued exactly once:
 * a channel's first live subscription anywhere → `channel_occupied`, its last one gone →
 * `channel_vacated` (debounced), the same per member on presence channels. A removal is only
 * scheduled (due `debounceMs` later); a join before it is due cancels it, and nothing is queued
 * either way. `promote` queues the removals that came due. Events beyond `maxQueue` are dropped,
 * oldest first, and reported to `onDropped`.
 */
export interface WebhookLog {
  /** A subscription went live. Idempotent per (channel, client). */
  join(subscription: WebhookSubscription): Promise<void>;
  /** It ended. Unknown subscriptions are ignored. */
  leave(channel: string, client: string): Promise<void>;
  /** Queue an event as is, after everything queued before. */
  append(event: WebhookEvent): Promise<void>;
  /** Queue the removals that came due (and, in a cluster, end the subscriptions of dead nodes). */
  promote(): Promise<void>;
  /**
   * The batch being delivered: the unacknowledged one (same id, same events) if there is one, else
   * up to `max` queued events under the new id `id`; undefined when nothing waits.
   */
  take(max: number, id: string): Promise<WebhookBatch | undefined>;
  /** The batch `id` was delivered (or given up on): forget it. */
  ack(id: string): Promise<void>;
  /** Events queued and not yet taken. */
  size(): Promise<number>;
}

export interface Engine {
  readonly name: string;
  readonly broker: Broker;
  readonly presence: PresenceManager;
  /** The engine's webhook log (one per engine; created on first use, options from the latest call). */
  webhookLog(options: WebhookLogOptions): WebhookLog;
  /** Runs `task` while this node holds the cluster-wide lock `name`; returns a function that releases it. */
  runAsLeader(name: string, task: LeaderTask): () => void;
  /** False while the engine's backing store is unreachable (reported by /healthz). */
  healthy(): boolean;
  close(): Promise<void>;
}

/** Presence channel holding every connection of the cluster: its count is `client_count`. */
export const CONNECTIONS_CHANNEL = '$connections';
