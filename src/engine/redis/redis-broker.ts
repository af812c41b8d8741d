/**
 * The Broker on Redis: publishing and reading run as Lua scripts on the command connection (one
 * round trip each, atomic per channel); delivery to this node comes through RedisFanout.
 * seq and epoch live in Redis, so they are monotonic across nodes and survive node restarts; an
 * epoch changes only when Redis lost the channel.
 * An invalid counter delta rejects with InvalidStateInputError before anything reaches Redis.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BROADCAST_MARK, decodeStreamEntry, integer, replyArray, text } from './redis-codec.ts';
import type { RedisFanout } from './redis-fanout.ts';
import type { RedisKeys } from './redis-keys.ts';
import { HISTORY_SCRIPT } from './scripts/history-script.ts';
import { POSITION_SCRIPT } from './scripts/position-script.ts';
import { INVALID_STATE_INPUT_MARK, PUBLISH_SCRIPT } from './scripts/publish-script.ts';
import { SNAPSHOT_SCRIPT } from './scripts/snapshot-script.ts';
import { publicationEventHead } from '../webhook-events.ts';
import {
  counterDelta,
  counterDeltaError,
  counterRangeError,
  type InvalidStateInputError,
} from '../state-input.ts';
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
  StreamPosition,
  WebhookLogOptions,
} from '../types.ts';

/** Where client publications of webhook namespaces are queued while the engine's webhook log is open. */
export interface PublicationWebhookQueue {
  key: string;
  options(): WebhookLogOptions;
}

/** Same default as state-reducer.ts. */
const DEFAULT_MAX_STROKES = 5000;
const SCAN_COUNT = 500;

export class RedisBroker implements Broker {
  webhookQueue: PublicationWebhookQueue | undefined;

  constructor(
    private readonly command: Redis,
    private readonly fanout: RedisFanout,
    private readonly keys: RedisKeys,
  ) {}

  setEventHandler(handler: BrokerEventHandler): void {
    this.fanout.setHandler(handler);
  }

  subscribe(channel: string): Promise<void> {
    return this.fanout.subscribe(channel);
  }

  unsubscribe(channel: string): Promise<void> {
    return this.fanout.unsubscribe(channel);
  }

  async publish(
    channel: string,
    data: unknown,
    options: PublishOptions,
    from?: ClientInfo,
  ): Promise<Publication> {
    const keys = this.keys.channel(channel);
    // Before the script: an invalid counter delta throws InvalidStateInputError, nothing is sent.
    const operand = operandOf(options.state, data);
    const scriptKeys = [keys.meta, keys.history, keys.strokes];
    const webhookArgs: (string | number)[] = [];
    // A client's publication in a webhook namespace queues its event in the same script.
    const webhook = options.publicationWebhook ? this.webhookQueue : undefined;
    if (webhook && from) {
      scriptKeys.push(webhook.key);
      const head = JSON.stringify(publicationEventHead(channel, from));
      webhookArgs.push(head.slice(0, -1), webhook.options().maxQueue);
    }
    let raw: unknown;
    try {
      raw = await PUBLISH_SCRIPT.run(this.command, scriptKeys, [
        JSON.stringify(data) ?? 'null',
        options.state,
        Math.max(0, Math.floor(options.historySize)),
        Math.max(0, Math.floor(options.historyTtlMs)),
        Math.max(1, Math.floor(options.maxStrokes ?? DEFAULT_MAX_STROKES)),
        newEpoch(),
        from ? JSON.stringify(from) : '',
        this.keys.events(channel),
        operand,
        ...webhookArgs,
      ]);
    } catch (error) {
      throw scriptRefusal(error, operand) ?? error;
    }
    const reply = replyArray(raw, 'publish');
    const publication: Publication = {
      channel,
      epoch: text(reply[0]),
      seq: integer(reply[1]),
      data: JSON.parse(text(reply[3])) as unknown,
      time: integer(reply[2]),
    };
    if (from) publication.from = from;
    const dropped = reply[4] === undefined ? 0 : integer(reply[4]);
    if (dropped > 0) webhook?.options().onDropped?.(dropped);
    return publication;
  }

  async broadcast(channel: string, frame: string): Promise<void> {
    await this.command.publish(this.keys.events(channel), BROADCAST_MARK + frame);
  }

  history(channel: string, query: HistoryQuery, options: PublishOptions): Promise<HistoryResult> {
    return this.#readHistory(channel, query, options.historyTtlMs);
  }

  /** Everything stored after `since` regardless of TTL: how the fan-out fills gaps. */
  readAfter(channel: string, since: StreamPosition): Promise<HistoryResult> {
    return this.#readHistory(channel, { since }, 0);
  }

  /** The channel's current position (creating the channel if needed). */
  async position(channel: string): Promise<StreamPosition> {
    const keys = this.keys.channel(channel);
    const reply = replyArray(
      await POSITION_SCRIPT.run(this.command, [keys.meta, keys.history, keys.strokes], [newEpoch()]),
      'position',
    );
    return { epoch: text(reply[0]), seq: integer(reply[1]) };
  }

  async snapshot(channel: string): Promise<Snapshot> {
    const keys = this.keys.channel(channel);
    const reply = replyArray(
      await SNAPSHOT_SCRIPT.run(this.command, [keys.meta, keys.history, keys.strokes], [newEpoch()]),
      'snapshot',
    );
    return { epoch: text(reply[0]), seq: integer(reply[1]), state: decodeState(text(reply[2]), reply[3]) };
  }

  async channels(): Promise<ChannelSummary[]> {
    const summaries: ChannelSummary[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.command.scan(
        cursor,
        'MATCH',
        this.keys.metaPattern(),
        'COUNT',
        SCAN_COUNT,
      );
      cursor = next;
      const pipeline = this.command.pipeline();
      for (const key of found) pipeline.hmget(key, 'epoch', 'seq');
      const replies = (await pipeline.exec()) ?? [];
      found.forEach((key, index) => {
        const channel = this.keys.channelOfMeta(key);
        const [error, values] = replies[index] ?? [];
        if (channel === undefined || error || !Array.isArray(values)) return;
        const [epoch, seq] = values as unknown[];
        if (typeof epoch === 'string') summaries.push({ channel, epoch, seq: Number(seq ?? 0) });
      });
    } while (cursor !== '0');
    return summaries.sort((a, b) => a.channel.localeCompare(b.channel));
  }

  async #readHistory(channel: string, query: HistoryQuery, ttlMs: number): Promise<HistoryResult> {
    const keys = this.keys.channel(channel);
    const { since, limit } = query;
    const reply = replyArray(
      await HISTORY_SCRIPT.run(
        this.command,
        [keys.meta, keys.history, keys.strokes],
        [
          newEpoch(),
          since?.epoch ?? '',
          since?.seq ?? 0,
          limit === undefined ? 0 : Math.max(1, Math.floor(limit)),
          Math.max(0, Math.floor(ttlMs)),
        ],
      ),
      'history',
    );
    const epoch = text(reply[0]);
    const entries = replyArray(reply[3] ?? [], 'history entries');
    return {
      epoch,
      seq: integer(reply[1]),
      recovered: integer(reply[2]) === 1,
      publications: entries.map((entry) => decodeStreamEntry(channel, epoch, entry)),
    };
  }
}

function newEpoch(): string {
  return randomBytes(6).toString('base64url');
}

/** What the script needs besides the data JSON: a counter's delta (checked here) or a board's op. */
function operandOf(state: PublishOptions['state'], data: unknown): string | number {
  if (state === 'counter') return counterDelta(data);
  if (state === 'board') {
    const op = typeof data === 'object' && data !== null ? (data as { op?: unknown }).op : undefined;
    return typeof op === 'string' ? op : '';
  }
  return '';
}

/**
 * The publish script's own refusal (see INVALID_STATE_INPUT_MARK) as the engine's error: `range`
 * is the counter bound, which only the script can check atomically; `delta` cannot happen after
 * operandOf checked it, but is mapped all the same.
 */
function scriptRefusal(error: unknown, operand: string | number): InvalidStateInputError | undefined {
  if (!(error instanceof Error)) return undefined;
  const [mark, reason, current] = error.message.split(' ');
  if (mark !== INVALID_STATE_INPUT_MARK) return undefined;
  return reason === 'range'
    ? counterRangeError(Number(current), Number(operand))
    : counterDeltaError(operand);
}

function decodeState(kind: string, raw: unknown): unknown {
  switch (kind) {
    case 'latest':
      return JSON.parse(text(raw)) as unknown;
    case 'counter':
      return integer(raw);
    case 'board':
      return replyArray(raw ?? [], 'board strokes').map((stroke) => JSON.parse(text(stroke)) as unknown);
    default:
      return undefined;
  }
}
