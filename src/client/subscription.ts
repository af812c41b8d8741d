/**
 * One channel subscription: its handlers, its last `{epoch, seq}`, and the rules that turn an
 * at-least-once, possibly interrupted stream into "every publication once, in order":
 * - on every (re)connect it resubscribes with `since` = the last position, so the server replays what was missed;
 * - it drops what it has already seen (seq <= last within one epoch);
 * - when the server cannot recover (`recovered: false`) it hands the snapshot to `onSubscribed` so the app resyncs;
 * - on channels where gaps are not expected (not `latest`), a gap or an epoch change makes it resubscribe
 *   with `since` (defensive: a correct server never causes it);
 * - on built-in channels, data that does not match the channel catalogue is dropped and reported, so
 *   typed handlers only see what their type promises.
 */
import type { ChannelGuards, EphemeralOf, PayloadOf, PublishInputOf } from '../protocol/channels.ts';
import { invokeIsolated } from './emitter.ts';
import { ClientErrorCode, TrendStreamError } from './errors.ts';
import type { RequestFrame, RequestOutcome, SettleRequest } from './pending-requests.ts';
import type { ClientInfo, PublicationFrame, ServerFrame, ServerFrameOf } from '../protocol/frames.ts';
import type {
  HistoryReply,
  Publication,
  PublishAck,
  StreamPosition,
  SubscribedInfo,
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
  /** Something arrived that the application must not see (malformed data): report it. */
  reportError(error: TrendStreamError): void;
  /** The subscription is gone (unsubscribed or refused): stop routing to it and resubscribing it. */
  forget(subscription: ChannelSubscription<string>): void;
  /** Backoff delay before retry `attempt` (0-based) of a failed subscribe. */
  retryDelay(attempt: number): number;
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
  readonly #handlers: SubscriptionHandlers<C>;
  readonly #host: SubscriptionHost;
  /** The catalogue's checks for this channel; undefined when it has none or checking is off. */
  readonly #guards: ChannelGuards | undefined;
  #state: SubscriptionState = 'idle';
  #position: StreamPosition | undefined;
  #latest = false;
  #first = true;
  /** Identifies the subscribe in flight, so a late reply to an older one is ignored. */
  #attemptToken = 0;
  #retryAttempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    channel: C,
    handlers: SubscriptionHandlers<C>,
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

  /** Sends the subscribe (with `since` when resuming); resolves once it is answered, whatever the answer. */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.#sendSubscribe(resolve);
    });
  }

  /** The connection is gone: wait for the next one (the client calls `start` again). */
  transportLost(): void {
    if (this.#state === 'closed') return;
    this.#state = 'idle';
    this.#attemptToken += 1;
    this.#clearRetry();
  }

  handlePublication(publication: PublicationFrame): void {
    if (this.#state !== 'subscribed' || !this.#position) return;
    const last = this.#position;
    if (publication.epoch === last.epoch) {
      if (publication.seq <= last.seq) return;
      if (!this.#latest && publication.seq !== last.seq + 1) {
        this.#resync();
        return;
      }
    } else if (!this.#latest) {
      this.#resync();
      return;
    }
    this.#position = { epoch: publication.epoch, seq: publication.seq };
    // Checked after the position moved on: a dropped publication must not trigger a resync loop.
    if (!this.#passes('publication', publication.data)) return;
    const onPublication = this.#handlers.onPublication;
    if (onPublication) invokeIsolated(onPublication, publication as Publication<PayloadOf<C>>);
  }

  handlePresenceEvent(frame: ServerFrameOf<'join' | 'leave'>): void {
    if (this.#state === 'closed') return;
    const handler = frame.type === 'join' ? this.#handlers.onJoin : this.#handlers.onLeave;
    if (handler) invokeIsolated(handler, frame.client);
  }

  handleEphemeral(frame: ServerFrameOf<'ephemeral'>): void {
    if (this.#state === 'closed') return;
    if (!this.#passes('ephemeral', frame.data)) return;
    const onEphemeral = this.#handlers.onEphemeral;
    if (onEphemeral) invokeIsolated(() => onEphemeral(frame.data as EphemeralOf<C>, frame.from), undefined);
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

  /** Leaves the channel for good. Resolves when the server confirmed, or at once when offline. */
  async unsubscribe(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasActive = this.#state !== 'idle';
    this.#close();
    if (!wasActive) return;
    await this.#host.call({ type: 'unsubscribe', channel: this.channel }).then(ignoreReply, ignoreReply);
  }

  #sendSubscribe(done?: () => void): void {
    if (this.#state === 'closed') {
      done?.();
      return;
    }
    this.#clearRetry();
    this.#state = 'subscribing';
    const token = ++this.#attemptToken;
    const since = this.#position;
    const frame: RequestFrame = since
      ? { type: 'subscribe', channel: this.channel, since: { ...since } }
      : { type: 'subscribe', channel: this.channel };
    this.#host.request(frame, (outcome) => {
      if (token === this.#attemptToken && this.#state === 'subscribing')
        this.#onSubscribeOutcome(outcome, since);
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
    const reply = outcome.frame;
    const recovered = reply.recovered && since !== undefined && since.epoch === reply.epoch;
    // When recovered, the missed publications follow the reply: keep the old position so they pass dedupe.
    this.#position = recovered && since ? since : { epoch: reply.epoch, seq: reply.seq };
    this.#latest = reply.latest;
    this.#state = 'subscribed';
    this.#retryAttempt = 0;
    const first = this.#first;
    this.#first = false;
    const onSubscribed = this.#handlers.onSubscribed;
    if (onSubscribed) {
      const info: SubscribedInfo = {
        channel: this.channel,
        epoch: reply.epoch,
        seq: reply.seq,
        recovered: reply.recovered,
        latest: reply.latest,
        first,
      };
      // A malformed snapshot is reported and left out; the subscription itself stands.
      if (reply.snapshot !== undefined && this.#passes('snapshot', reply.snapshot))
        info.snapshot = reply.snapshot;
      invokeIsolated(onSubscribed, info as SubscribedInfo<never>);
    }
  }

  /** Whether `data` matches the catalogue's check of that kind; a mismatch is reported as `bad_payload`. */
  #passes(kind: keyof ChannelGuards, data: unknown): boolean {
    const guard = this.#guards?.[kind];
    if (!guard || guard(data)) return true;
    this.#host.reportError(
      new TrendStreamError(
        ClientErrorCode.BadPayload,
        `dropped a ${kind} on ${this.channel} that does not match the channel's payload type`,
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
      const delay = this.#host.retryDelay(this.#retryAttempt++);
      this.#retryTimer = setTimeout(() => this.#resync(), delay);
      return;
    }
    this.#close();
    const onError = this.#handlers.onError;
    if (onError) invokeIsolated(onError, error);
  }

  /** Resubscribes from the last position on the same connection: unsubscribe, then subscribe with `since`. */
  #resync(): void {
    if (this.#state === 'closed') return;
    this.#clearRetry();
    this.#state = 'subscribing';
    const token = ++this.#attemptToken;
    this.#host.request({ type: 'unsubscribe', channel: this.channel }, (outcome) => {
      if (token !== this.#attemptToken) return;
      if (!outcome.ok && outcome.error.code === ClientErrorCode.Disconnected) {
        this.#state = 'idle';
        return;
      }
      this.#sendSubscribe();
    });
  }

  #close(): void {
    this.#state = 'closed';
    this.#attemptToken += 1;
    this.#clearRetry();
    this.#host.forget(this);
  }

  #clearRetry(): void {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }
}

function ignoreReply(): void {}

function expectReply<T extends ServerFrame['type']>(frame: ServerFrame, type: T): ServerFrameOf<T> {
  if (frame.type !== type) throw unexpectedReply(frame, type);
  return frame as ServerFrameOf<T>;
}

function unexpectedReply(frame: ServerFrame, expected: string): TrendStreamError {
  return new TrendStreamError(ClientErrorCode.BadReply, `expected a ${expected} reply, got ${frame.type}`);
}
