/**
 * The public surface of the TrendStream client SDK (browser and Node, one source).
 * The web app, the terminal client, the tests and the bench code only use what is declared here.
 */
import type { EphemeralOf, PayloadOf, PublishInputOf, SnapshotOf } from '../protocol/channels.ts';
import type { ErrorCode } from '../protocol/codes.ts';
import type { ClientInfo, PublicationFrame, StreamPosition } from '../protocol/frames.ts';
import type { ClientErrorCode } from './errors.ts';

export type { ClientInfo, PublicationFrame, StreamPosition };
export type { EphemeralOf, PayloadOf, PublishInputOf, SnapshotOf };

/** A publication whose `data` is typed by its channel (see the channel catalogue). */
export interface Publication<T = unknown> extends Omit<PublicationFrame, 'data'> {
  data: T;
}

/** Client states; `setState` emits one `status` event per transition. */
export type ClientState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

export interface StatusEvent {
  state: ClientState;
  previous: ClientState;
  /** While `reconnecting`: the attempt number (1-based) and the delay before it, in ms. */
  attempt?: number;
  delayMs?: number;
  /** Why the last connection ended, when it did: a `CloseCode` from the hub, or a WebSocket code (1006: no close frame). */
  code?: number;
  reason?: string;
}

/**
 * The last close frame the server sent (e.g. 1012 "server restarting"). Kept while retries fail
 * (those report 1006, no close frame, in the status events), so an app can show why it went offline.
 */
export interface ServerClose {
  code: number;
  reason: string;
}

/** A minimal WebSocket constructor: the browser's global, or `ws` in Node. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ClientOptions {
  /** Display name, sent as `?name=` (ignored by the server when a token is given). */
  name?: string;
  /** JWT, sent as `?token=`; a function is called before every connection attempt. */
  token?: string | (() => string | Promise<string>);
  /** WebSocket implementation; defaults to `globalThis.WebSocket` (the Node entry passes `ws`). */
  WebSocket?: WebSocketConstructor;
  /**
   * Backoff before reconnect attempt n (1-based): random(0, min(maxDelayMs, baseDelayMs * 2^(n-1))).
   * Defaults 500 / 5000. The first retry after a server restart (1012) or going away (1001) waits 100–600 ms instead.
   */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Publishes and RPCs made while offline wait here (flushed in order on reconnect). Default 1000. */
  maxQueuedPublishes?: number;
  /** A request without reply after this long rejects. Default 10000. */
  requestTimeoutMs?: number;
  /**
   * JSON ping every this many ms while connected (emits `latency`); a ping without pong within
   * `requestTimeoutMs` drops the connection and reconnects, so a half-open socket is noticed. 0 turns it off. Default 25000.
   */
  pingIntervalMs?: number;
  /** Connect on creation (default true). */
  autoConnect?: boolean;
  /**
   * Check the data of built-in channels (trends, metrics, chat...) against the channel catalogue before
   * handing it over: a publication that does not match is dropped and reported as an `error` event
   * (code `bad_payload`), so typed handlers only ever see what their type says. Turn off when the hub
   * redefines a built-in namespace with other payloads. Default true.
   */
  checkPayloads?: boolean;
}

export interface SubscribedInfo<S = unknown> {
  channel: string;
  epoch: string;
  seq: number;
  /** True when everything missed since the last position followed; false means resync from `snapshot`. */
  recovered: boolean;
  /** The channel's state (latest value, counter, strokes); absent when it has none. */
  snapshot?: S;
  /** Seq gaps are expected on this channel (conflated for slow clients). */
  latest: boolean;
  /** True on the first subscription, false on a resubscription after reconnect. */
  first: boolean;
}

/** Handlers of a subscription to channel `C`; payloads are typed by the channel catalogue. */
export interface SubscriptionHandlers<C extends string = string> {
  /** Every publication, in seq order, without duplicates. */
  onPublication?: (publication: Publication<PayloadOf<C>>) => void;
  /** On each (re)subscription: the snapshot and whether the missed publications were recovered. */
  onSubscribed?: (info: SubscribedInfo<SnapshotOf<C>>) => void;
  onJoin?: (client: ClientInfo) => void;
  onLeave?: (client: ClientInfo) => void;
  onEphemeral?: (data: EphemeralOf<C>, from: ClientInfo) => void;
  /** The server refused the subscription (forbidden, not_found...). */
  onError?: (error: ServerError) => void;
}

export interface SubscribeOptions<C extends string = string> extends SubscriptionHandlers<C> {
  /** Sent with every subscribe (resubscribes too) to the backend's subscribe proxy, where the namespace has one. */
  data?: unknown;
}

export interface RpcOptions {
  /** Reject with `timeout` when no answer came this long after sending. Default `requestTimeoutMs`. */
  timeoutMs?: number;
}

export interface Subscription<C extends string = string> {
  readonly channel: C;
  /** Last position seen, used to resume after reconnect. */
  readonly position: StreamPosition | undefined;
  /**
   * The server subscribed this connection itself (connect proxy `channels`, token `subs`): it resumes
   * on reconnect through `?recover=`, `unsubscribe()` only detaches the handlers.
   */
  readonly serverSide: boolean;
  publish(data: PublishInputOf<C>): Promise<PublishAck>;
  ephemeral(data: EphemeralOf<C>): Promise<void>;
  presence(): Promise<ClientInfo[]>;
  history(options?: { since?: StreamPosition; limit?: number }): Promise<HistoryReply<PayloadOf<C>>>;
  unsubscribe(): Promise<void>;
}

export interface PublishAck {
  channel: string;
  epoch?: string;
  seq?: number;
}

export interface HistoryReply<T = unknown> {
  channel: string;
  epoch: string;
  seq: number;
  /** With `since`: false when history no longer reaches back to it (resync from a snapshot). */
  recovered: boolean;
  publications: Array<Publication<T>>;
}

/** Every `code` an SDK error carries: the server's `ErrorCode`s and the client's own. */
export type TrendStreamErrorCode = ErrorCode | ClientErrorCode;

/** An `error` frame or a client failure turned into an Error, with a stable `code` to branch on. */
export interface ServerError extends Error {
  code: TrendStreamErrorCode;
  /** With code `refused`: the code the application's backend gave (its subscribe, publish or RPC proxy). */
  backendCode?: number | string;
}

export interface ClientEvents {
  status: StatusEvent;
  /** Total connections on the hub (or cluster). */
  client_count: number;
  /** The `connection` frame: this client's id and identity, and the hub node it is connected to. */
  connection: { clientId: string; node: string; user: ClientInfo; clientCount: number };
  /** Round-trip time of the last JSON ping, in ms. */
  latency: number;
  /**
   * Errors not tied to a request: `error` frames from the server, and frames or payloads the client
   * dropped because they were malformed (`bad_frame`, `bad_payload`).
   */
  error: ServerError;
  /**
   * A server-side subscription (connect proxy `channels`, token `subs`) was made or resumed, as
   * `onSubscribed` reports it. `client.subscribe(info.channel, handlers)` attaches handlers to it.
   */
  server_subscribed: SubscribedInfo;
  /** Every publication of a server-side subscription, in seq order, without duplicates. */
  server_publication: Publication;
}

export interface TrendStreamClient {
  readonly state: ClientState;
  readonly clientId: string | undefined;
  /** The last close frame the server sent, kept across failed retries; undefined until one came. */
  readonly lastServerClose: ServerClose | undefined;
  connect(): void;
  /**
   * Retry now instead of waiting out the backoff (a "Retry now" button): while `reconnecting`, drops
   * the wait (or an attempt under way) and connects; when `disconnected`, same as `connect()`;
   * otherwise nothing. The SDK does the same itself on the browser's `online` event and when the tab
   * becomes visible.
   */
  reconnectNow(): void;
  /** Close for good: no reconnect until `connect()` is called again. */
  disconnect(): void;
  /**
   * Subscribes, or attaches the handlers to the server-side subscription of `channel` if there is
   * one (no frame is sent; `data` is not used then).
   */
  subscribe<C extends string>(channel: C, options?: SubscribeOptions<C>): Subscription<C>;
  /**
   * Publish; queued while offline. Resolves with the ack (seq) from the server. A frame over the hub's
   * `max_frame_bytes` is never sent (the hub would close the connection): it rejects with `too_large`.
   */
  publish<C extends string>(channel: C, data: PublishInputOf<C>): Promise<PublishAck>;
  /**
   * Calls `method` on the application's backend (the hub's `--rpc-proxy`); resolves with its `data`.
   * Queued while offline like `publish`; a call already sent when the connection drops rejects with
   * `disconnected`. Refusals reject with code `refused` and the backend's `backendCode`.
   */
  rpc<T = unknown>(method: string, data?: unknown, options?: RpcOptions): Promise<T>;
  ping(): Promise<number>;
  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void;
}
