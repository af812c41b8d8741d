/**
 * One channel subscription: its handlers, its last `{epoch, seq}`, and the rules that turn an
 * at-least-once, possibly interrupted stream into "every publication once, in order":
 * - on every (re)connect it resubscribes with `since` = the last position, so the server replays what was missed;
 * - it drops what it has already seen (seq <= last within one epoch);
 * - when the server cannot recover (`recovered: false`) it hands the snapshot to `onSubscribed` so the app resyncs;
 * - on channels where gaps are not expected (not `latest`), a gap or an epoch change makes it resubscribe
 *   with `since` (defensive: a correct server never causes it);
 * - a server-side subscription (the server subscribed the connection itself) takes the server's
 *   `subscribed` frame as its reply, sends no subscribe, and resumes through the connection URL's
 *   `?recover=` (so its resync is a reconnect);
 * - on built-in channels, data that does not match the channel catalogue is dropped and reported, so
 *   typed handlers only see what their type promises.
 */
import type { ChannelGuards, EphemeralOf, PayloadOf, PublishInputOf } from '../protocol/channels.ts';
import { ignore, invokeIsolated } from './emitter.ts';
import { ClientErrorCode, TrendStreamError } from './errors.ts';
import type { RequestFrame, RequestOutcome, SettleRequest } from './pending-requests.ts';
import type { ClientInfo, PublicationFrame, ServerFrame, ServerFrameOf } from '../protocol/frames.ts';
import type {
  ClientEvents,
  HistoryReply,
  Publication,
  PublishAck,
  StreamPosition,
  SubscribedInfo,
  SubscribeOptions,
  Subscription,
  SubscriptionHandlers,
} from './types.ts';

/** What a subscription needs from its client. */
export interface SubscriptionHost {
  /** Sends a request when connected; otherwise settles it at once with a `disconnected` error. */
  request(frame: RequestFrame, settle: SettleRequest): void;
  /** The promise form of `request`, for application calls. */
  call(frame: RequestFrame): Promise<ServerFrame>;
  publish(channel: string, data: unknown): Promise<PublishAck>;
  /** The subscription is gone (unsubscribed or refused): stop routing to it and resubscribing it. */
  forget(subscription: ChannelSubscription<string>): void;
  /** Backoff delay before retry `attempt` (0-based) of a failed subscribe. */
  retryDelay(attempt: number): number;
  readonly requestTimeoutMs: number;
  /** Drops the connection and reconnects (resuming the server-side subscriptions from their positions). */
  reconnect(reason: string): void;
  /** Client events; `error` for what the application must not see (malformed data). */
  emit<E extends keyof ClientEvents>(event: E, payload: ClientEvents[E]): void;
}

/**
 * - `idle`: waiting for a connection;
 * - `subscribing`: a subscribe (or a resync) is in flight, incoming publications are dropped (the reply's
 *   recovery replays them);
 * - `subscribed`: publications flow;
 * - `closed`: unsubscribed or refused, for good.
 */
export type SubscriptionState = 'idle' | 'subscribing' | 'subscribed' | 'closed';

/** Failures worth another try on the same connection; other refusals are final. */
const RETRIABLE_CODES: ReadonlySet<string> = new Set([
  ClientErrorCode.Timeout,
  'unavailable',
  'internal',
  'rate_limited',
  'already_subscribed',
]);

export class ChannelSubscription<C extends string> implements Subscription<C> {
  readonly channel: C;
  #handlers: SubscribeOptions<C>;
  readonly #host: SubscriptionHost;
  /** The catalogue's checks for this channel; undefined when it has none or checking is off. */
  readonly #guards: ChannelGuards | undefined;
  #state: SubscriptionState = 'idle';
  #position: StreamPosition | undefined;
  #latest = false;
  #first = true;
  /** Set once the server's own `subscribed` frame came (see `serverSubscribed`); read-only to the app. */
  serverSide = false;
  /** Identifies the subscribe in flight, so a late reply to an older one is ignored. */
  #attemptToken = 0;
  #retryAttempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    channel: C,
    handlers: SubscribeOptions<C>,
    host: SubscriptionHost,
    guards: ChannelGuards | undefined,
  ) {
    this.channel = channel;
    this.#handlers = handlers;
    this.#host = host;
    this.#guards = guards;
  }

  get state(): SubscriptionState {
    return this.#state;
  }

  get position(): StreamPosition | undefined {
    return this.#position ? { ...this.#position } : undefined;
  }

  /** The application's handlers for a server-side subscription (no frame is sent). */
  attach(handlers: SubscriptionHandlers<C>): void {
    this.#handlers = handlers;
  }

  /**
   * The server subscribed the connection to this channel itself (first, or resumed from `?recover=`):
   * its frame is the subscribe reply. A subscribe of ours in flight (refused `already_subscribed`) is moot.
   */
  serverSubscribed(frame: ServerFrameOf<'subscribed'>): void {
    this.serverSide = true;
    this.#halt('idle');
    this.#onSubscribeOutcome({ ok: true, frame }, this.#position);
  }

  /** Sends the subscribe (with `since` when resuming); resolves once it is answered, whatever the answer. */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.#sendSubscribe(resolve);
    });
  }

  /** The connection is gone: wait for the next one (the client calls `start` again). */
  transportLost(): void {
    if (this.#state !== 'closed') this.#halt('idle');
  }

  /** A frame the server sent on this channel: a publication, a join, a leave or an ephemeral message. */
  handle(frame: ServerFrameOf<'publication' | 'join' | 'leave' | 'ephemeral'>): void {
    if (frame.type === 'publication') return this.#onPublication(frame);
    if (this.#state === 'closed') return;
    if (frame.type !== 'ephemeral') {
      return invokeIsolated(
        frame.type === 'join' ? this.#handlers.onJoin : this.#handlers.onLeave,
        frame.client,
      );
    }
    if (!this.#passes('ephemeral', frame.data)) return;
    const onEphemeral = this.#handlers.onEphemeral;
    if (onEphemeral) invokeIsolated(() => onEphemeral(frame.data as EphemeralOf<C>, frame.from), undefined);
  }

  #onPublication(publication: PublicationFrame): void {
    const { epoch, seq } = publication;
    const last = this.#position;
    if (this.#state !== 'subscribed' || !last || (epoch === last.epoch && seq <= last.seq)) return;
    // Gaps are expected on `latest` channels only.
    if (!this.#latest && (epoch !== last.epoch || seq !== last.seq + 1)) return this.#resync();
    this.#position = { epoch, seq };
    // Checked after the position moved on: a dropped publication must not trigger a resync loop.
    if (!this.#passes('publication', publication.data)) return;
    invokeIsolated(this.#handlers.onPublication, publication as Publication<PayloadOf<C>>);
    if (this.serverSide) this.#host.emit('server_publication', publication);
  }

  publish(data: PublishInputOf<C>): Promise<PublishAck> {
    return this.#host.publish(this.channel, data);
  }

  async ephemeral(data: EphemeralOf<C>): Promise<void> {
    await this.#host.call({ type: 'ephemeral', channel: this.channel, data });
  }

  async presence(): Promise<ClientInfo[]> {
    const reply = await this.#host.call({ type: 'presence', channel: this.channel });
    return expectReply(reply, 'presence').clients;
  }

  async history(
    options: { since?: StreamPosition; limit?: number } = {},
  ): Promise<HistoryReply<PayloadOf<C>>> {
    const reply = expectReply(
      await this.#host.call({ type: 'history', channel: this.channel, ...options }),
      'history',
    );
    const { channel, epoch, seq, recovered } = reply;
    const publications = reply.publications.filter((publication) =>
      this.#passes('publication', publication.data),
    ) as Array<Publication<PayloadOf<C>>>;
    return { channel, epoch, seq, recovered, publications };
  }

  /**
   * Leaves the channel for good. Resolves when the server confirmed, or at once when offline.
   * A server-side subscription stays (the server decides): its handlers are detached.
   */
  async unsubscribe(): Promise<void> {
    if (this.serverSide) this.#handlers = {};
    if (this.#state === 'closed' || this.serverSide) return;
    const wasActive = this.#state !== 'idle';
    this.#close();
    if (!wasActive) return;
    await this.#host.call({ type: 'unsubscribe', channel: this.channel }).then(ignore, ignore);
  }

  #sendSubscribe(done?: () => void): void {
    // A server-side subscription waits for the server's frame.
    if (this.#state === 'closed' || this.serverSide) return done?.();
    const since = this.#position;
    this.#request(
      { type: 'subscribe', channel: this.channel, since, data: this.#handlers.data },
      (outcome) => this.#onSubscribeOutcome(outcome, since),
      done,
    );
  }

  /** Sends a subscribe or an unsubscribe as the attempt in flight; a superseded attempt's outcome is ignored. */
  #request(frame: RequestFrame, then: SettleRequest, done?: () => void): void {
    this.#clearRetry();
    this.#state = 'subscribing';
    const token = ++this.#attemptToken;
    this.#host.request(frame, (outcome) => {
      if (token === this.#attemptToken && this.#state === 'subscribing') then(outcome);
      done?.();
    });
  }

  #onSubscribeOutcome(outcome: RequestOutcome, since: StreamPosition | undefined): void {
    if (!outcome.ok) {
      this.#onSubscribeError(outcome.error);
      return;
    }
    if (outcome.frame.type !== 'subscribed') {
      this.#onSubscribeError(unexpectedReply(outcome.frame, 'subscribed'));
      return;
    }
    const { epoch, seq, recovered, latest, snapshot } = outcome.frame;
    // When recovered, the missed publications follow the reply: keep the old position so they pass dedupe.
    this.#position = recovered && since?.epoch === epoch ? since : { epoch, seq };
    this.#latest = latest;
    this.#state = 'subscribed';
    this.#retryAttempt = 0;
    const info: SubscribedInfo = { channel: this.channel, epoch, seq, recovered, latest, first: this.#first };
    this.#first = false;
    // A malformed snapshot is reported and left out; the subscription itself stands.
    if (snapshot !== undefined && this.#passes('snapshot', snapshot)) info.snapshot = snapshot;
    invokeIsolated(this.#handlers.onSubscribed, info as SubscribedInfo<never>);
    if (this.serverSide) this.#host.emit('server_subscribed', info);
  }

  /** Whether `data` matches the catalogue's check of that kind; a mismatch is reported as `bad_payload`. */
  #passes(kind: keyof ChannelGuards, data: unknown): boolean {
    const guard = this.#guards?.[kind];
    if (!guard || guard(data)) return true;
    this.#host.emit(
      'error',
      new TrendStreamError(
        ClientErrorCode.BadPayload,
        `dropped a ${kind} on ${this.channel}: not the channel's payload type`,
      ),
    );
    return false;
  }

  #onSubscribeError(error: TrendStreamError): void {
    if (error.code === ClientErrorCode.Disconnected) {
      this.#state = 'idle';
      return;
    }
    if (RETRIABLE_CODES.has(error.code)) {
      this.#state = 'idle';
      // already_subscribed: the server subscribed this channel itself and its frame is on the way
      // (serverSubscribed takes it); resubscribe only if it never comes.
      const delay =
        error.code === 'already_subscribed'
          ? this.#host.requestTimeoutMs
          : this.#host.retryDelay(this.#retryAttempt++);
      this.#retryTimer = setTimeout(() => this.#resync(), delay);
      return;
    }
    this.#close();
    invokeIsolated(this.#handlers.onError, error);
  }

  /** Resubscribes from the last position on the same connection: unsubscribe, then subscribe with `since`. */
  #resync(): void {
    if (this.serverSide) return this.#host.reconnect(`resync ${this.channel}`);
    if (this.#state === 'closed') return;
    this.#request({ type: 'unsubscribe', channel: this.channel }, (outcome) => {
      if (!outcome.ok && outcome.error.code === ClientErrorCode.Disconnected) this.#state = 'idle';
      else this.#sendSubscribe();
    });
  }

  #close(): void {
    this.#halt('closed');
    this.#host.forget(this);
  }

  /** Moves to `state`, cancelling the attempt in flight and the retry timer. */
  #halt(state: SubscriptionState): void {
    this.#state = state;
    this.#attemptToken += 1;
    this.#clearRetry();
  }

  #clearRetry(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }
}

export function expectReply<T extends ServerFrame['type']>(frame: ServerFrame, type: T): ServerFrameOf<T> {
  if (frame.type !== type) throw unexpectedReply(frame, type);
  return frame as ServerFrameOf<T>;
}

function unexpectedReply(frame: ServerFrame, expected: string): TrendStreamError {
  return new TrendStreamError(ClientErrorCode.BadReply, `expected a ${expected} reply, got ${frame.type}`);
}
