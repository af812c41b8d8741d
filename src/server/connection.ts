/**
 * One WebSocket connection: reads client frames (rate limit, size, schema), answers each request,
 * and writes everything through its OutboundQueue. A bad frame costs the sender an `error` frame,
 * never the server: every handler's failure is caught and turned into a reply.
 */
import type { WebSocket, RawData } from 'ws';
import { CloseCode, ErrorCode } from '../protocol/codes.ts';
import type { ClientFrame, ClientInfo, ServerFrame, ServerFrameOf } from '../protocol/frames.ts';
import { encodeFrame, frameText, parseClientFrame } from './frame-codec.ts';
import { BackendRefusal } from './backend/proxies.ts';
import { HubError } from './hub-error.ts';
import type { HubMetrics } from './hub-metrics.ts';
import { publicationFrame, type Hub, type HubClient, type Subscriber } from './hub.ts';
import type { Identity } from './identity.ts';
import { FlushScheduler, OutboundQueue, type OutboundEvents } from './outbound-queue.ts';
import { TokenBucket } from './rate-limiter.ts';
import { rawSocketOf } from './raw-socket.ts';
import type { ServerConfig } from './config.ts';
import type { Logger } from 'pino';

/** Refused frames in a row (rate limit) after which the flood is cut with 4001. */
const FLOOD_CLOSE_AFTER = 200;
/** Time a closing connection gets to flush its close frame before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

/** A Connection is its queue's event sink, so no per-connection closures are needed for it. */
export class Connection implements HubClient, OutboundEvents {
  readonly subscriptions = new Map<string, Subscriber>();
  readonly info: ClientInfo;
  readonly channelClaims: string[] | undefined;
  /** Whether a pong (or any frame) arrived since the last heartbeat ping. */
  alive = true;
  readonly #outbound: OutboundQueue;
  readonly #bucket: TokenBucket;
  #refusedInARow = 0;
  #closed = false;

  constructor(
    private readonly ws: WebSocket,
    identity: Identity,
    /** The client's address (X-Forwarded-For from a trusted balancer, else the socket peer). */
    readonly remoteAddress: string,
    private readonly hub: Hub,
    private readonly metrics: HubMetrics,
    config: ServerConfig,
    scheduler: FlushScheduler,
    private readonly log: Logger,
  ) {
    this.info = identity.info;
    this.channelClaims = identity.channelClaims;
    this.#bucket = new TokenBucket(config.rateLimitPerSecond, config.rateLimitBurst);
    this.#outbound = new OutboundQueue(rawSocketOf(ws), config, scheduler, this);
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
  }

  onOverflow(): void {
    this.close(CloseCode.SlowConsumer, 'slow consumer: too far behind');
  }

  onConflated(): void {
    this.metrics.conflated.inc();
  }

  onBytesWritten(bytes: number): void {
    this.metrics.bytesOut += bytes;
  }

  send(frame: ServerFrame): void {
    if (frame.type === 'error') this.metrics.errors.inc({ code: frame.code });
    this.#outbound.push(frameText(encodeFrame(frame)));
  }

  sendFramed(frame: Buffer, conflateKey?: string): void {
    this.#outbound.push(frame, conflateKey);
  }

  /** Close with a code the client can act on; pending output is dropped, the socket destroyed soon after. */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.metrics.closes.inc({ code: String(code) });
    this.#outbound.close();
    this.#closeSocket(code, reason);
  }

  /** Flush what is queued, then close (graceful shutdown). */
  closeAfterFlush(code: number, reason: string): void {
    this.#outbound.flush();
    // A slow client's backlog would land after the close frame: drop it, history has it.
    this.#outbound.close();
    if (!this.#closed) this.#closeSocket(code, reason);
  }

  /** Send the close frame, and destroy the socket if the peer does not finish the handshake in time. */
  #closeSocket(code: number, reason: string): void {
    this.#closed = true;
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  ping(): void {
    this.ws.ping();
  }

  /** Drop the TCP connection at once (heartbeat reaping: the peer is not answering anyway). */
  terminate(): void {
    this.dispose();
    this.ws.terminate();
  }

  /** The socket is gone: nothing more is written. */
  dispose(): void {
    this.#closed = true;
    this.#outbound.close();
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    this.alive = true;
    this.metrics.messagesIn += 1;
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    this.metrics.bytesIn += size;
    if (!this.#bucket.take()) {
      this.metrics.rateLimited.inc();
      this.#refusedInARow += 1;
      if (this.#refusedInARow >= FLOOD_CLOSE_AFTER) {
        this.close(CloseCode.RateLimitExceeded, 'rate limit exceeded');
      } else {
        // A request with an id is always answered, so its sender does not wait for a timeout;
        // frames without one get one error per burst, since answering a flood would feed it.
        const id = isBinary ? undefined : requestIdOf(data);
        if (id !== undefined || this.#refusedInARow === 1 || this.#refusedInARow % 50 === 0) {
          this.#sendError(id, ErrorCode.RateLimited, 'rate limit exceeded: message dropped');
        }
      }
      return;
    }
    this.#refusedInARow = 0;
    if (isBinary) {
      this.#sendError(undefined, ErrorCode.BadRequest, 'binary frames are not supported; send JSON text');
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString()
      : Buffer.from(data as ArrayBuffer).toString();
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      this.#sendError(parsed.id, parsed.code, parsed.message);
      return;
    }
    this.#handle(parsed.frame).catch((error: unknown) => this.replyToFailure(parsed.frame.id, error));
  }

  async #handle(frame: ClientFrame): Promise<void> {
    const { hub } = this;
    switch (frame.type) {
      case 'ping':
        this.send(frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id });
        return;
      case 'subscribe':
        await hub.subscribe(
          this,
          frame.channel,
          frame.since,
          frame.id,
          frame.data === undefined ? {} : { data: frame.data },
        );
        return;
      case 'unsubscribe':
        await hub.unsubscribe(this, frame.channel);
        this.send(withId({ type: 'unsubscribed', channel: frame.channel }, frame.id));
        return;
      case 'publish': {
        const p = await hub.publishFromClient(this, frame.channel, frame.data);
        this.send(withId({ type: 'ack', channel: frame.channel, epoch: p.epoch, seq: p.seq }, frame.id));
        return;
      }
      case 'ephemeral':
        await hub.ephemeral(this, frame.channel, frame.data);
        this.send(withId({ type: 'ack', channel: frame.channel }, frame.id));
        return;
      case 'presence': {
        hub.authorizeSubscribe(this, frame.channel);
        const clients = await hub.presence(frame.channel);
        this.send(
          withId({ type: 'presence', channel: frame.channel, clients, count: clients.length }, frame.id),
        );
        return;
      }
      case 'history': {
        hub.authorizeSubscribe(this, frame.channel);
        const query = { limit: frame.limit ?? 100, ...(frame.since ? { since: frame.since } : {}) };
        const result = await hub.history(frame.channel, query);
        // After `since`: the oldest `limit` (page forward from the last one); else the newest `limit`.
        const page = frame.since
          ? result.publications.slice(0, query.limit)
          : result.publications.slice(-query.limit);
        const reply = {
          type: 'history' as const,
          channel: frame.channel,
          epoch: result.epoch,
          seq: result.seq,
          recovered: result.recovered,
          publications: page.map(publicationFrame),
        };
        this.send(withId(reply, frame.id));
        return;
      }
      case 'rpc': {
        const data = await hub.rpc(this, frame.method, frame.data);
        this.send({ type: 'rpc_result', id: frame.id, data });
        return;
      }
    }
  }

  /** A request (or a server-side subscription) failed: tell the client why, as an error frame. */
  replyToFailure(id: string | undefined, error: unknown, channel?: string): void {
    let frame: ServerFrameOf<'error'>;
    if (error instanceof HubError) {
      frame = withId({ type: 'error', code: error.code, message: error.message }, id);
      if (error instanceof BackendRefusal) frame.backend_code = error.backendError.code;
    } else {
      this.log.warn({ err: error, client: this.info.id }, 'request failed');
      frame = withId(
        {
          type: 'error',
          code: ErrorCode.Unavailable,
          message: 'the request could not be completed; try again',
        },
        id,
      );
    }
    // A server-side subscription has no request id: the channel says which one failed.
    if (channel !== undefined) frame.channel = channel;
    this.send(frame);
  }

  #sendError(id: string | undefined, code: string, message: string): void {
    this.send(withId({ type: 'error', code, message }, id));
  }
}

/** The request id of a raw frame, found without parsing it (refused frames are not worth a parse). */
function requestIdOf(data: RawData): string | undefined {
  const head = (Array.isArray(data) ? data[0] : Buffer.from(data as ArrayBuffer))
    ?.subarray(0, 512)
    .toString();
  return head === undefined ? undefined : /"id"\s*:\s*"([^"\\]{1,64})"/.exec(head)?.[1];
}

function withId<T extends ServerFrame>(frame: T, id: string | undefined): T {
  if (id !== undefined) (frame as { id?: string }).id = id;
  return frame;
}
