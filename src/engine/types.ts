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

export interface Engine {
  readonly name: string;
  readonly broker: Broker;
  readonly presence: PresenceManager;
  /** Runs `task` while this node holds the cluster-wide lock `name`; returns a function that releases it. */
  runAsLeader(name: string, task: LeaderTask): () => void;
  /** False while the engine's backing store is unreachable (reported by /healthz). */
  healthy(): boolean;
  close(): Promise<void>;
}

/** Presence channel holding every connection of the cluster: its count is `client_count`. */
export const CONNECTIONS_CHANNEL = '$connections';
