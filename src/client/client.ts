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
 * then the publishes queued while offline are sent, in order.
 */
import { channelGuards, type PublishInputOf } from '../protocol/channels.ts';
import { backoffDelay } from './backoff.ts';
import { buildConnectionUrl } from './connection-url.ts';
import { resolveClientOptions, type ResolvedClientOptions } from './client-options.ts';
import { Emitter } from './emitter.ts';
import { ClientErrorCode, TrendStreamError, serverError } from './errors.ts';
import { watchNetwork } from './network-watch.ts';
import { OutboundQueue } from './outbound-queue.ts';
import { PendingRequests, type RequestFrame, type SettleRequest } from './pending-requests.ts';
import { ChannelSubscription, type SubscriptionHost } from './subscription.ts';
import { CloseCode, shouldReconnect } from '../protocol/codes.ts';
import type { ServerFrame, ServerFrameOf } from '../protocol/frames.ts';
import { checkServerFrame } from '../protocol/server-frame-guard.ts';
import type {
  ClientEvents,
  ClientOptions,
  ClientState,
  PublishAck,
  StatusEvent,
  Subscription,
  SubscriptionHandlers,
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

  constructor(url: string, options: ResolvedClientOptions) {
    this.#url = url;
    this.#options = options;
    this.#queue = new OutboundQueue(options.maxQueuedPublishes);
    this.#autoConnectPending = options.autoConnect;
    // Deferred so listeners added right after createClient() see the first `connecting` status.
    if (options.autoConnect) queueMicrotask(() => this.#autoConnect());
  }

  get state(): ClientState {
    return this.#state;
  }

  get clientId(): string | undefined {
    return this.#clientId;
  }

  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  connect(): void {
    this.#autoConnectPending = false;
    if (this.#state !== 'disconnected') return;
    this.#attempt = 0;
    this.#stopNetworkWatch = watchNetwork({
      online: () => this.#onBrowserOnline(),
      offline: () => this.#onBrowserOffline(),
    });
    this.#setState('connecting', {});
    this.#openSocket();
  }

  disconnect(): void {
    this.#autoConnectPending = false;
    const error = new TrendStreamError(
      ClientErrorCode.Disconnected,
      'the client was disconnected by the application',
    );
    this.#queue.rejectAll(error);
    if (this.#state === 'disconnected') return;
    this.#closeSocket(USER_CLOSE);
    this.#connectionEnded(error);
    this.#stopWatching();
    this.#setState('disconnected', USER_CLOSE);
  }

  subscribe<C extends string>(channel: C, handlers: SubscriptionHandlers<C> = {}): Subscription<C> {
    if (this.#subscriptions.has(channel)) {
      throw new Error(`already subscribed to ${channel}: use that subscription, or unsubscribe() it first`);
    }
    const guards = this.#options.checkPayloads ? channelGuards(channel) : undefined;
    const subscription = new ChannelSubscription(channel, handlers, this, guards);
    this.#subscriptions.set(channel, subscription);
    if (this.#state === 'connected') void subscription.start();
    return subscription;
  }

  publish<C extends string>(channel: C, data: PublishInputOf<C>): Promise<PublishAck> {
    if (!this.#ready) return this.#queue.enqueue(channel, data);
    return this.#sendPublish(channel, data);
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await this.call({ type: 'ping' });
    const latency = Math.round((performance.now() - started) * 100) / 100;
    this.#emitter.emit('latency', latency);
    return latency;
  }

  // SubscriptionHost: requests on the current connection.

  request(frame: RequestFrame, settle: SettleRequest): void {
    const socket = this.#socket;
    if (this.#state !== 'connected' || !socket || socket.readyState !== WS_OPEN) {
      settle({
        ok: false,
        error: disconnectedError('not connected: try again once the client is connected'),
      });
      return;
    }
    const id = this.#pending.create(this.#options.requestTimeoutMs, settle);
    try {
      socket.send(JSON.stringify({ ...frame, id }));
    } catch (error) {
      this.#pending.fail(id, disconnectedError(`send failed: ${describe(error)}`));
    }
  }

  call(frame: RequestFrame): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      this.request(frame, (outcome) => (outcome.ok ? resolve(outcome.frame) : reject(outcome.error)));
    });
  }

  reportError(error: TrendStreamError): void {
    this.#emitter.emit('error', error);
  }

  forget(subscription: ChannelSubscription<string>): void {
    if (this.#subscriptions.get(subscription.channel) === subscription) {
      this.#subscriptions.delete(subscription.channel);
    }
  }

  retryDelay(attempt: number): number {
    return backoffDelay(attempt, this.#options);
  }

  // The state machine.

  #setState(next: ClientState, details: Omit<StatusEvent, 'state' | 'previous'>): void {
    const previous = this.#state;
    // reconnecting -> reconnecting is reported: each attempt has its own number and delay.
    if (previous === next && next !== 'reconnecting') return;
    this.#state = next;
    this.#emitter.emit('status', { state: next, previous, ...details });
  }

  #autoConnect(): void {
    if (this.#autoConnectPending) this.connect();
  }

  #openSocket(): void {
    this.#clearTimer('reconnect');
    const generation = ++this.#generation;
    this.#handshakeTimer = setTimeout(() => {
      if (generation === this.#generation) this.#dropSocket({ reason: 'connect timeout' });
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
    const value = typeof token === 'function' ? await token() : token;
    return buildConnectionUrl(this.#url, this.#options.name, value);
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
    socket.onerror = ignoreEvent; // a `close` always follows
    socket.onmessage = (event) => {
      if (generation === this.#generation) this.#onMessage(event.data);
    };
    socket.onclose = (event) => {
      if (generation !== this.#generation) return;
      this.#socket = undefined;
      this.#connectionLost({ code: event.code, reason: event.reason });
    };
  }

  #onMessage(data: unknown): void {
    const checked = checkServerFrame(data);
    if (checked.kind === 'unknown') return; // a newer server's frame: nothing this client must do
    if (checked.kind === 'malformed') {
      this.reportError(new TrendStreamError(ClientErrorCode.BadFrame, `dropped ${checked.problem}`));
      return;
    }
    const frame = checked.frame;
    if ('id' in frame && typeof frame.id === 'string' && this.#pending.resolve(frame.id, frame)) return;
    switch (frame.type) {
      case 'connection':
        this.#onConnectionFrame(frame);
        break;
      case 'client_count':
        this.#emitter.emit('client_count', frame.count);
        break;
      case 'publication':
        this.#subscriptions.get(frame.channel)?.handlePublication(frame);
        break;
      case 'join':
      case 'leave':
        this.#subscriptions.get(frame.channel)?.handlePresenceEvent(frame);
        break;
      case 'ephemeral':
        this.#subscriptions.get(frame.channel)?.handleEphemeral(frame);
        break;
      case 'error':
        this.#emitter.emit('error', serverError(frame));
        break;
      default:
        break;
    }
  }

  #onConnectionFrame(frame: ServerFrameOf<'connection'>): void {
    this.#clearTimer('handshake');
    this.#clientId = frame.client_id;
    this.#attempt = 0;
    this.#setState('connected', {});
    this.#emitter.emit('connection', {
      clientId: frame.client_id,
      user: frame.user,
      clientCount: frame.client_count,
    });
    this.#emitter.emit('client_count', frame.client_count);
    this.#startPinging();
    const generation = this.#generation;
    const resubscribed = [...this.#subscriptions.values()].map((subscription) => subscription.start());
    void Promise.all(resubscribed).then(() => {
      if (generation === this.#generation && this.#state === 'connected') this.#flushQueue();
    });
  }

  /** Sends the publishes made while offline, oldest first, then lets new ones go straight out. */
  #flushQueue(): void {
    for (const item of this.#queue.drain()) {
      this.#sendPublish(item.channel, item.data).then(item.resolve, item.reject);
    }
    this.#ready = true;
  }

  async #sendPublish(channel: string, data: unknown): Promise<PublishAck> {
    const reply = await this.call({ type: 'publish', channel, data });
    if (reply.type !== 'ack') {
      throw new TrendStreamError(ClientErrorCode.BadReply, `expected an ack, got ${reply.type}`);
    }
    const ack: PublishAck = { channel: reply.channel ?? channel };
    if (reply.epoch !== undefined) ack.epoch = reply.epoch;
    if (reply.seq !== undefined) ack.seq = reply.seq;
    return ack;
  }

  #startPinging(): void {
    if (this.#options.pingIntervalMs <= 0) return;
    const generation = this.#generation;
    this.#pingTimer = setInterval(() => {
      this.ping().catch((error: unknown) => {
        const timedOut = error instanceof TrendStreamError && error.code === ClientErrorCode.Timeout;
        if (timedOut && generation === this.#generation) this.#dropSocket({ reason: 'ping timeout' });
      });
    }, this.#options.pingIntervalMs);
  }

  /** The client gives up on the current socket (timeout, offline) and treats it as lost. */
  #dropSocket(info: CloseInfo): void {
    this.#closeSocket(info);
    this.#connectionLost(info);
  }

  /** Closes the current socket without hearing from it again. */
  #closeSocket(info: CloseInfo): void {
    this.#generation += 1;
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onopen = null;
    try {
      socket.close(1000, info.reason.slice(0, 120));
    } catch {
      // Already closing; nothing else to release.
    }
  }

  /** Clears everything that belonged to the connection that just ended. */
  #connectionEnded(error: TrendStreamError): void {
    this.#clearTimer('handshake');
    this.#clearTimer('ping');
    this.#clearTimer('reconnect');
    this.#ready = false;
    this.#clientId = undefined;
    for (const subscription of this.#subscriptions.values()) subscription.transportLost();
    this.#pending.failAll(error);
  }

  #connectionLost(info: CloseInfo): void {
    this.#generation += 1;
    this.#socket = undefined;
    this.#connectionEnded(disconnectedError(`connection lost before the reply (${describeClose(info)})`));
    if (info.code !== undefined && !this.#mayReconnectAfter(info.code)) {
      this.#queue.rejectAll(
        disconnectedError(
          `the server closed the connection for good (${describeClose(info)}); not reconnecting`,
        ),
      );
      this.#stopWatching();
      this.#setState('disconnected', info);
      return;
    }
    this.#scheduleReconnect(info);
  }

  /** Terminal codes stop reconnecting, except an expired token when a fresh one can be fetched. */
  #mayReconnectAfter(code: number): boolean {
    if (code === CloseCode.TokenExpired && typeof this.#options.token === 'function') return true;
    return shouldReconnect(code);
  }

  #scheduleReconnect(info: CloseInfo): void {
    this.#attempt += 1;
    const delayMs = backoffDelay(this.#attempt - 1, this.#options);
    this.#setState('reconnecting', { attempt: this.#attempt, delayMs, ...info });
    this.#reconnectTimer = setTimeout(() => this.#openSocket(), delayMs);
  }

  #onBrowserOnline(): void {
    if (this.#state === 'reconnecting' && this.#reconnectTimer !== undefined) this.#openSocket();
  }

  #onBrowserOffline(): void {
    if (this.#state === 'connected' || this.#socket) this.#dropSocket({ reason: 'browser offline' });
  }

  #stopWatching(): void {
    this.#stopNetworkWatch?.();
    this.#stopNetworkWatch = undefined;
  }

  #clearTimer(which: 'reconnect' | 'handshake' | 'ping'): void {
    if (which === 'reconnect') {
      clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = undefined;
    } else if (which === 'handshake') {
      clearTimeout(this.#handshakeTimer);
      this.#handshakeTimer = undefined;
    } else {
      clearInterval(this.#pingTimer);
      this.#pingTimer = undefined;
    }
  }
}

function disconnectedError(message: string): TrendStreamError {
  return new TrendStreamError(ClientErrorCode.Disconnected, message);
}

function describeClose(info: CloseInfo): string {
  const code = info.code === undefined ? '' : `${info.code}`;
  return [code, info.reason].filter(Boolean).join(' ') || 'no reason';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ignoreEvent(): void {}
