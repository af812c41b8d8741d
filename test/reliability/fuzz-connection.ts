/**
 * The fuzzer's side of one WebSocket: sends a hostile input, then a `ping` with a sync id, and waits
 * until the server has answered both. Server frames are split into replies (one per client frame:
 * `error`, `pong`, `subscribed`, `ack`…) and pushes (publications, join/leave, counts), so a suite can
 * check that every frame got exactly one reply and that each reply is a documented one.
 */
import WebSocket from 'ws';
import type { ServerFrame } from '../../src/protocol/frames.ts';
import type { FuzzInput } from './frame-arbitraries.ts';

const PUSH_TYPES: ReadonlySet<string> = new Set([
  'connection',
  'publication',
  'join',
  'leave',
  'ephemeral',
  'client_count',
]);
const SYNC_PREFIX = 'fuzz-sync-';

export interface Outcome {
  /** Replies to the input (the sync pong excluded). */
  replies: ServerFrame[];
  /** Set when the server closed the connection instead. */
  closeCode?: number;
}

export class FuzzConnection {
  readonly #ws: WebSocket;
  readonly #replies: ServerFrame[] = [];
  #syncsSeen = new Set<string>();
  #closeCode: number | undefined;
  #wake: (() => void) | undefined;
  #syncs = 0;
  pushes = 0;

  private constructor(url: string) {
    this.#ws = new WebSocket(url);
    this.#ws.on('message', (data: Buffer) => this.#onFrame(JSON.parse(data.toString()) as ServerFrame));
    this.#ws.on('close', (code) => {
      this.#closeCode = code;
      this.#wake?.();
    });
    this.#ws.on('error', () => undefined);
  }

  static async open(url: string): Promise<FuzzConnection> {
    const connection = new FuzzConnection(url);
    await new Promise<void>((resolve, reject) => {
      connection.#ws.once('open', () => resolve());
      connection.#ws.once('error', reject);
    });
    return connection;
  }

  get closed(): boolean {
    return this.#closeCode !== undefined;
  }

  /** Sends `input`, then a sync ping; resolves with what the server answered to `input`. */
  async exchange(input: FuzzInput, timeoutMs = 3000): Promise<Outcome> {
    const before = this.#replies.length;
    this.#send(input);
    const sync = `${SYNC_PREFIX}${(this.#syncs += 1)}`;
    this.#ws.send(JSON.stringify({ type: 'ping', id: sync }));
    const deadline = Date.now() + timeoutMs;
    // The sync pong can overtake a reply that waited on the engine: wait for both.
    while (!this.closed && !(this.#syncsSeen.has(sync) && this.#replies.length > before)) {
      if (Date.now() > deadline) throw new Error(`no reply within ${timeoutMs} ms to ${describe(input)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const outcome: Outcome = { replies: this.#replies.slice(before) };
    if (this.#closeCode !== undefined) outcome.closeCode = this.#closeCode;
    return outcome;
  }

  /** Replies received so far, for the final "exactly one reply each" count. */
  get replyCount(): number {
    return this.#replies.length;
  }

  close(): void {
    this.#ws.close();
  }

  #send(input: FuzzInput): void {
    switch (input.kind) {
      case 'text':
      case 'oversize':
        this.#ws.send(input.text);
        return;
      case 'binary':
        this.#ws.send(input.bytes, { binary: true });
        return;
      case 'invalid-utf8':
        this.#ws.send(input.bytes, { binary: false });
        return;
    }
  }

  #onFrame(frame: ServerFrame): void {
    if (PUSH_TYPES.has(frame.type)) {
      this.pushes += 1;
    } else if (frame.type === 'pong' && frame.id?.startsWith(SYNC_PREFIX)) {
      this.#syncsSeen.add(frame.id);
    } else {
      this.#replies.push(frame);
    }
    this.#wake?.();
  }
}

export function describe(input: FuzzInput): string {
  const body =
    input.kind === 'text' || input.kind === 'oversize'
      ? input.text
      : Buffer.from(input.bytes).toString('hex');
  return `${input.kind} ${JSON.stringify(body.slice(0, 300))}${body.length > 300 ? `… (${body.length} chars)` : ''}`;
}
