/**
 * In-process Broker: per-channel streams with bounded, time-limited history.
 * Publishing is synchronous inside one call, which gives the per-channel atomicity the seam requires.
 * An input its state kind refuses rejects the publish (InvalidStateInputError) with nothing stored.
 * The epoch is new for every process, so clients of a restarted server learn their history is gone.
 */
import { randomBytes } from 'node:crypto';
import { reduceState, type Reduced } from '../state-reducer.ts';
import type {
  Broker,
  BrokerEventHandler,
  ChannelSummary,
  ClientInfo,
  HistoryQuery,
  HistoryResult,
  Publication,
  PublishOptions,
  Snapshot,
} from '../types.ts';

interface Stream {
  seq: number;
  /** Oldest first; trimmed to historySize on publish and to the TTL on read. */
  history: Publication[];
  state: unknown;
}

export class MemoryBroker implements Broker {
  readonly epoch = randomBytes(6).toString('base64url');
  #streams = new Map<string, Stream>();
  #subscribed = new Set<string>();
  #handler: BrokerEventHandler | undefined;
  /** Set while the engine's webhook log is open: takes client publications of webhook namespaces. */
  webhookSink: ((publication: Publication & { from: ClientInfo }) => void) | undefined;

  setEventHandler(handler: BrokerEventHandler): void {
    this.#handler = handler;
  }

  subscribe(channel: string): Promise<void> {
    this.#subscribed.add(channel);
    return Promise.resolve();
  }

  unsubscribe(channel: string): Promise<void> {
    this.#subscribed.delete(channel);
    return Promise.resolve();
  }

  publish(channel: string, data: unknown, options: PublishOptions, from?: ClientInfo): Promise<Publication> {
    let reduced: Reduced;
    try {
      // Checked before the stream exists or changes: an invalid input (InvalidStateInputError)
      // leaves no trace, not even an empty channel.
      reduced = reduceState(options.state, this.#streams.get(channel)?.state, data, options.maxStrokes);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const { published, state } = reduced;
    const stream = this.#stream(channel);
    stream.state = state;
    stream.seq += 1;
    const publication: Publication = {
      channel,
      epoch: this.epoch,
      seq: stream.seq,
      data: published,
      time: Date.now(),
    };
    if (from) publication.from = from;
    if (options.historySize > 0) {
      stream.history.push(publication);
      if (stream.history.length > options.historySize)
        stream.history.splice(0, stream.history.length - options.historySize);
    }
    if (from && options.publicationWebhook) this.webhookSink?.({ ...publication, from });
    if (this.#subscribed.has(channel)) this.#handler?.onPublication(publication);
    return Promise.resolve(publication);
  }

  broadcast(channel: string, frame: string): Promise<void> {
    if (this.#subscribed.has(channel)) this.#handler?.onBroadcast(channel, frame);
    return Promise.resolve();
  }

  history(channel: string, query: HistoryQuery, options: PublishOptions): Promise<HistoryResult> {
    const stream = this.#peek(channel);
    this.#expire(stream, options.historyTtlMs);
    const position = { epoch: this.epoch, seq: stream.seq };
    const { since, limit } = query;
    if (!since) {
      const publications = limit === undefined ? [...stream.history] : stream.history.slice(-limit);
      return Promise.resolve({ ...position, publications, recovered: false });
    }
    const firstKept = stream.history[0]?.seq ?? stream.seq + 1;
    const reachable = since.epoch === this.epoch && since.seq <= stream.seq && since.seq + 1 >= firstKept;
    if (!reachable) return Promise.resolve({ ...position, publications: [], recovered: false });
    const publications = stream.history.filter((p) => p.seq > since.seq);
    return Promise.resolve({ ...position, publications, recovered: true });
  }

  snapshot(channel: string): Promise<Snapshot> {
    const stream = this.#peek(channel);
    return Promise.resolve({ epoch: this.epoch, seq: stream.seq, state: structuredClone(stream.state) });
  }

  channels(): Promise<ChannelSummary[]> {
    return Promise.resolve(
      [...this.#streams].map(([channel, s]) => ({ channel, epoch: this.epoch, seq: s.seq })),
    );
  }

  /** A channel's stream for reading: reads never create one, so made-up names cost no memory. */
  #peek(channel: string): Stream {
    return this.#streams.get(channel) ?? { seq: 0, history: [], state: undefined };
  }

  #stream(channel: string): Stream {
    let stream = this.#streams.get(channel);
    if (!stream) {
      stream = { seq: 0, history: [], state: undefined };
      this.#streams.set(channel, stream);
    }
    return stream;
  }

  #expire(stream: Stream, ttlMs: number): void {
    const cutoff = Date.now() - ttlMs;
    let drop = 0;
    while (drop < stream.history.length && stream.history[drop].time < cutoff) drop += 1;
    if (drop > 0) stream.history.splice(0, drop);
  }
}
