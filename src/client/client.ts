/**
 * The TrendStream client: an explicit connection state machine around one WebSocket at a time.
 *
 *   disconnected --connect()--> connecting --`connection` frame--> connected
 *   connecting|connected --socket lost--> reconnecting --backoff timer--> (new socket) --> connected
 *   any --disconnect() or a terminal close code--> disconnected
 *
 * Every transition goes through `#setState`, which emits one `status` event. Each socket gets a
 * generation number; callbacks of an older socket are ignored, so a late `close` cannot tear down
 * its successor. On every `connection` frame the subscriptions resubscribe from their last position,
 * then the publishes and RPCs queued while offline are sent, in order. Server-side subscriptions
 * (the server's own `subscribed` frames) are resumed by the server from the URL's `?recover=`.
 */
import { channelGuards, type PublishInputOf } from '../protocol/channels.ts';
import { backoffDelay } from './backoff.ts';
import { buildConnectionUrl } from './connection-url.ts';
import { resolveClientOptions, type ResolvedClientOptions } from './client-options.ts';
import { Emitter, ignore } from './emitter.ts';
import { ClientErrorCode, TrendStreamError, serverError } from './errors.ts';
import { watchNetwork } from './network-watch.ts';
import { OutboundQueue } from './outbound-queue.ts';
import { PendingRequests, type RequestFrame, type SettleRequest } from './pending-requests.ts';
import { ChannelSubscription, expectReply, type SubscriptionHost } from './subscription.ts';
import { CloseCode, shouldReconnect } from '../protocol/codes.ts';
import type { ServerFrame, ServerFrameOf, StreamPosition } from '../protocol/frames.ts';
import { checkServerFrame } from '../protocol/server-frame-guard.ts';
import type {
  ClientEvents,
  ClientOptions,
  ClientState,
  PublishAck,
  RpcOptions,
  ServerClose,
  StatusEvent,
  SubscribeOptions,
  Subscription,
  TrendStreamClient,
  WebSocketLike,
} from './types.ts';

/** Why a connection ended: the close frame's code and reason, or only a reason when the client gave up on it. */
interface CloseInfo {
  code?: number;
  reason: string;
}

const WS_OPEN = 1;
const USER_CLOSE: CloseInfo = { code: 1000, reason: 'client disconnect' };

export function createClient(url: string, options: ClientOptions = {}): TrendStreamClient {
  return new Client(url, resolveClientOptions(options));
}

class Client implements TrendStreamClient, SubscriptionHost {
  readonly #url: string;
  readonly #options: ResolvedClientOptions;
  readonly #emitter = new Emitter<ClientEvents>();
  readonly #pending = new PendingRequests();
  readonly #queue: OutboundQueue;
  readonly #subscriptions = new Map<string, ChannelSubscription<string>>();
  #state: ClientState = 'disconnected';
  /** Bumped for every socket; a callback whose generation is not current belongs to a dead socket. */
  #generation = 0;
  #socket: WebSocketLike | undefined;
  #clientId: string | undefined;
  /** Reconnect attempts since the last successful connection. */
  #attempt = 0;
  /** Connected and resubscribed: publishes go straight out instead of into the queue. */
  #ready = false;
  #autoConnectPending: boolean;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #stopNetworkWatch: (() => void) | undefined;
  #serverClose: ServerClose | undefined;
  /** The hub's `limits.max_frame_bytes` from the last `connection` frame: larger frames are refused here. */
  #maxFrameBytes = Infinity;

  constructor(url: string, options: ResolvedClientOptions) {
    this.#url = url;
    this.#options = options;
    this.#queue = new OutboundQueue(options.maxQueuedPublishes);
    this.#autoConnectPending = options.autoConnect;
    // Deferred so listeners added right after createClient() see the first `connecting` status.
    if (options.autoConnect)
      queueMicrotask(() => {
        if (this.#autoConnectPending) this.connect();
      });
  }

  get state(): ClientState {
    return this.#state;
  }

  get clientId(): string | undefined {
    return this.#clientId;
  }

  get lastServerClose(): ServerClose | undefined {
    return this.#serverClose;
  }

  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  connect(): void {
    this.#autoConnectPending = false;
    if (this.#state !== 'disconnected') return;
    this.#attempt = 0;
    this.#stopNetworkWatch = watchNetwork(
      () => this.reconnectNow(),
      () => {
        if (this.#state === 'connected' || this.#socket) this.#connectionLost({ reason: 'browser offline' });
      },
    );
    this.#setState('connecting');
    this.#openSocket();
  }

  reconnectNow(): void {
    if (this.#state === 'disconnected') this.connect();
    else if (this.#state === 'reconnecting') {
      // An attempt still under way (a handshake that may hang) is dropped for a fresh one.
      this.#closeSocket({ reason: 'retry now' });
      this.#openSocket();
    }
  }

  disconnect(): void {
    this.#autoConnectPending = false;
    const error = disconnectedError('disconnect() called');
    this.#queue.rejectAll(error);
    if (this.#state === 'disconnected') return;
    this.#closeSocket(USER_CLOSE);
    this.#connectionEnded(error);
    this.#stopWatching();
    this.#setState('disconnected', USER_CLOSE);
  }

  subscribe<C extends string>(channel: C, options: SubscribeOptions<C> = {}): Subscription<C> {
    const existing = this.#subscriptions.get(channel) as ChannelSubscription<C> | undefined;
    if (existing?.serverSide) {
      existing.attach(options);
      return existing;
    }
    if (existing) {
      throw new Error(`already subscribed to ${channel}: unsubscribe() first`);
    }
    const subscription = this.#addSubscription(channel, options);
    if (this.#state === 'connected') void subscription.start();
    return subscription;
  }

  async publish<C extends string>(channel: C, data: PublishInputOf<C>): Promise<PublishAck> {
    const reply = expectReply(await this.#send({ type: 'publish', channel, data }), 'ack');
    const ack: PublishAck = { channel: reply.channel };
    if (reply.epoch !== undefined) ack.epoch = reply.epoch;
    if (reply.seq !== undefined) ack.seq = reply.seq;
    return ack;
  }

  async rpc<T = unknown>(method: string, data?: unknown, options: RpcOptions = {}): Promise<T> {
    const reply = await this.#send({ type: 'rpc', method, data }, options.timeoutMs);
    return expectReply(reply, 'rpc_result').data as T;
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await this.call({ type: 'ping' });
    const latency = Math.round((performance.now() - started) * 100) / 100;
    this.emit('latency', latency);
    return latency;
  }

  // SubscriptionHost: requests on the current connection.

  request(frame: RequestFrame, settle: SettleRequest, timeoutMs = this.#options.requestTimeoutMs): void {
    const socket = this.#socket;
    if (this.#state !== 'connected' || socket?.readyState !== WS_OPEN) {
      settle({ ok: false, error: disconnectedError('not connected') });
      return;
    }
    const id = this.#pending.create(timeoutMs, settle);
    const text = JSON.stringify({ ...frame, id });
    const tooLarge = this.#tooLarge(text);
    if (tooLarge) {
      this.#pending.fail(id, tooLarge);
      return;
    }
    try {
      socket.send(text);
    } catch (error) {
      this.#pending.fail(id, disconnectedError(`send failed: ${describe(error)}`));
    }
  }

  call(frame: RequestFrame, timeoutMs?: number): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      this.request(
        frame,
        (outcome) => (outcome.ok ? resolve(outcome.frame) : reject(outcome.error)),
        timeoutMs,
      );
    });
  }

  forget(subscription: ChannelSubscription<string>): void {
    if (this.#subscriptions.get(subscription.channel) === subscription) {
      this.#subscriptions.delete(subscription.channel);
    }
  }

  retryDelay(attempt: number): number {
    return backoffDelay(attempt, this.#options);
  }

  get requestTimeoutMs(): number {
    return this.#options.requestTimeoutMs;
  }

  reconnect(reason: string): void {
    this.#connectionLost({ reason });
  }

  emit<E extends keyof ClientEvents>(event: E, payload: ClientEvents[E]): void {
    this.#emitter.emit(event, payload);
  }

  #addSubscription<C extends string>(channel: C, options: SubscribeOptions<C>): ChannelSubscription<C> {
    const guards = this.#options.checkPayloads ? channelGuards(channel) : undefined;
    const subscription = new ChannelSubscription(channel, options, this, guards);
    this.#subscriptions.set(channel, subscription);
    return subscription;
  }

  /** Sends a publish or RPC now when ready, else it waits in the offline queue (in order with the others). */
  #send(frame: RequestFrame, timeoutMs?: number): Promise<ServerFrame> {
    return this.#ready ? this.call(frame, timeoutMs) : this.#queue.enqueue(frame, timeoutMs);
  }

  /**
   * The error for a frame over the hub's `max_frame_bytes`: sent, it would make the hub close the
   * connection (1009) and every subscription reconnect, so it is never sent.
   */
  #tooLarge(text: string): TrendStreamError | undefined {
    const limit = this.#maxFrameBytes;
    // A UTF-16 unit is at most 3 UTF-8 bytes: only long texts are encoded to count.
    const bytes = text.length * 3 > limit ? new TextEncoder().encode(text).length : 0;
    return bytes > limit
      ? new TrendStreamError(ClientErrorCode.TooLarge, `${bytes} bytes, over the hub's limit of ${limit}`)
      : undefined;
  }

  // The state machine.

  #setState(next: ClientState, details: Omit<StatusEvent, 'state' | 'previous'> = {}): void {
    const previous = this.#state;
    // reconnecting -> reconnecting is reported: each attempt has its own number and delay.
    if (previous === next && next !== 'reconnecting') return;
    this.#state = next;
    this.emit('status', { state: next, previous, ...details });
  }

  #openSocket(): void {
    this.#reconnectTimer = clearTimer(this.#reconnectTimer);
    clearTimer(this.#handshakeTimer);
    const generation = ++this.#generation;
    this.#handshakeTimer = setTimeout(() => {
      if (generation === this.#generation) this.#connectionLost({ reason: 'connect timeout' });
    }, this.#options.requestTimeoutMs);
    void this.#connectionUrl().then(
      (url) => {
        if (generation === this.#generation) this.#createSocket(url, generation);
      },
      (error: unknown) => {
        if (generation === this.#generation) this.#connectionLost({ reason: `token: ${describe(error)}` });
      },
    );
  }

  async #connectionUrl(): Promise<string> {
    const token = this.#options.token;
    // Where each server-side subscription is, so the server resumes it without gap or duplicate.
    let recover: Record<string, StreamPosition> | undefined;
    for (const { serverSide, position, channel } of this.#subscriptions.values())
      if (serverSide && position) (recover ??= {})[channel] = position;
    return buildConnectionUrl(this.#url, {
      name: this.#options.name,
      token: typeof token === 'function' ? await token() : token,
      recover: recover && JSON.stringify(recover),
    });
  }

  #createSocket(url: string, generation: number): void {
    let socket: WebSocketLike;
    try {
      socket = new this.#options.WebSocket(url);
    } catch (error) {
      this.#connectionLost({ reason: describe(error) });
      return;
    }
    this.#socket = socket;
    socket.onerror = ignore; // a `close` always follows
    socket.onmessage = (event) => {
      if (generation === this.#generation) this.#onMessage(event.data);
    };
    socket.onclose = (event) => {
      if (generation !== this.#generation) return;
      this.#socket = undefined; // closed already
      // 1006: no close frame (refused, dropped); any other code came from the server.
      if (event.code !== 1006) this.#serverClose = { code: event.code, reason: event.reason };
      this.#connectionLost({ code: event.code, reason: event.reason });
    };
  }

  #onMessage(data: unknown): void {
    const checked = checkServerFrame(data);
    if (checked.kind === 'unknown') return; // a newer server's frame: nothing this client must do
    if (checked.kind === 'malformed') {
      this.emit('error', new TrendStreamError(ClientErrorCode.BadFrame, `dropped ${checked.problem}`));
      return;
    }
    const frame = checked.frame;
    if ('id' in frame && this.#pending.resolve(frame.id, frame)) return;
    switch (frame.type) {
      case 'connection':
        this.#onConnectionFrame(frame);
        break;
      case 'client_count':
        this.emit('client_count', frame.count);
        break;
      case 'subscribed':
        // A reply is settled above by its id; a server-side subscription has none.
        if (frame.server_side)
          (
            this.#subscriptions.get(frame.channel) ?? this.#addSubscription(frame.channel, {})
          ).serverSubscribed(frame);
        break;
      case 'publication':
      case 'join':
      case 'leave':
      case 'ephemeral':
        this.#subscriptions.get(frame.channel)?.handle(frame);
        break;
      case 'error':
        this.emit('error', serverError(frame));
        break;
      default:
        break;
    }
  }

  #onConnectionFrame(frame: ServerFrameOf<'connection'>): void {
    this.#handshakeTimer = clearTimer(this.#handshakeTimer);
    this.#clientId = frame.client_id;
    this.#attempt = 0;
    // An older hub sends no limits: nothing is refused here then.
    this.#maxFrameBytes = (frame.limits as typeof frame.limits | undefined)?.max_frame_bytes || Infinity;
    this.#setState('connected');
    this.emit('connection', {
      clientId: frame.client_id,
      // An older hub names no node.
      node: (frame.node as string | undefined) ?? '',
      user: frame.user,
      clientCount: frame.client_count,
    });
    this.emit('client_count', frame.client_count);
    this.#startPinging();
    const generation = this.#generation;
    const resubscribed = [...this.#subscriptions.values()].map((subscription) => subscription.start());
    void Promise.all(resubscribed).then(() => {
      if (generation === this.#generation && this.#state === 'connected') this.#flushQueue();
    });
  }

  /** Sends the publishes and RPCs made while offline, oldest first, then lets new ones go straight out. */
  #flushQueue(): void {
    for (const item of this.#queue.drain()) {
      this.call(item.frame, item.timeoutMs).then(item.resolve, item.reject);
    }
    this.#ready = true;
  }

  #startPinging(): void {
    if (this.#options.pingIntervalMs <= 0) return;
    const generation = this.#generation;
    this.#pingTimer = setInterval(() => {
      this.ping().catch((error: unknown) => {
        const timedOut = error instanceof TrendStreamError && error.code === ClientErrorCode.Timeout;
        if (timedOut && generation === this.#generation) this.#connectionLost({ reason: 'ping timeout' });
      });
    }, this.#options.pingIntervalMs);
  }

  /** Closes the current socket without hearing from it again. */
  #closeSocket(info: CloseInfo): void {
    this.#generation += 1;
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    socket.onmessage = null;
    socket.onclose = null;
    try {
      socket.close(1000, info.reason.slice(0, 120));
    } catch {
      // Already closing; nothing else to release.
    }
  }

  /** Clears everything that belonged to the connection that just ended. */
  #connectionEnded(error: TrendStreamError): void {
    this.#handshakeTimer = clearTimer(this.#handshakeTimer);
    this.#pingTimer = clearTimer(this.#pingTimer);
    this.#reconnectTimer = clearTimer(this.#reconnectTimer);
    this.#ready = false;
    this.#clientId = undefined;
    for (const subscription of this.#subscriptions.values()) subscription.transportLost();
    this.#pending.failAll(error);
  }

  /** The connection ended (closed, failed, or given up on: timeout, offline): reconnect or stop. */
  #connectionLost(info: CloseInfo): void {
    this.#closeSocket(info);
    const why = [info.code, info.reason].filter(Boolean).join(' ') || 'no reason';
    this.#connectionEnded(disconnectedError(`connection lost (${why})`));
    // Terminal codes stop reconnecting, except an expired token when a fresh one can be fetched.
    const refetchToken = info.code === CloseCode.TokenExpired && typeof this.#options.token === 'function';
    if (info.code !== undefined && !shouldReconnect(info.code) && !refetchToken) {
      this.#queue.rejectAll(disconnectedError(`closed for good (${why})`));
      this.#stopWatching();
      this.#setState('disconnected', info);
      return;
    }
    // #attempt counts from 0 for the backoff, the status reports it from 1. A connection the server
    // closed for a restart (1012) or going away (1001) is retried soon: the hub should be back at once.
    // 100–600 ms (never above maxDelayMs): the jitter still spreads a crowd of clients.
    const restart = info.code === CloseCode.ServiceRestart || info.code === CloseCode.GoingAway;
    const delayMs =
      restart && !this.#attempt
        ? Math.min(100 + Math.floor(Math.random() * 500), this.#options.maxDelayMs)
        : backoffDelay(this.#attempt, this.#options);
    this.#attempt += 1;
    this.#setState('reconnecting', { attempt: this.#attempt, delayMs, ...info });
    this.#reconnectTimer = setTimeout(() => this.#openSocket(), delayMs);
  }

  #stopWatching(): void {
    this.#stopNetworkWatch?.();
    this.#stopNetworkWatch = undefined;
  }
}

function disconnectedError(message: string): TrendStreamError {
  return new TrendStreamError(ClientErrorCode.Disconnected, message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Stops a timeout or an interval (one pool of ids); returns undefined for the handle. */
function clearTimer(timer: ReturnType<typeof setTimeout> | undefined): undefined {
  clearTimeout(timer);
  return undefined;
}
