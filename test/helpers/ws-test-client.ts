/**
 * A raw protocol client for tests: a real `ws` socket that records every server frame and lets a
 * test wait for the next frame matching a predicate. Tests of the SDK use the SDK instead.
 */
import WebSocket from 'ws';
import type { PublicationFrame, ServerFrame } from '../../src/protocol/frames.ts';

type Predicate = (frame: ServerFrame) => boolean;

export class WsTestClient {
  readonly frames: ServerFrame[] = [];
  closeCode: number | undefined;
  closeReason = '';
  /** Indexes of frames already returned by next(), so each frame is returned once. */
  #consumed = new Set<number>();
  #waiters: Array<() => void> = [];
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse((data as Buffer).toString()) as ServerFrame);
      this.#wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = String(reason);
        this.#wake();
        resolve(code);
      });
    });
    ws.on('error', () => undefined);
  }

  /** Connect and wait for the `connection` frame. */
  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<WsTestClient> {
    const client = new WsTestClient(new WebSocket(url, options));
    await client.next((f) => f.type === 'connection');
    return client;
  }

  /** Connect without waiting for anything (for refused connections). */
  static open(url: string, options: WebSocket.ClientOptions = {}): WsTestClient {
    return new WsTestClient(new WebSocket(url, options));
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next not-yet-consumed frame matching `predicate` (frames before it stay unconsumed). */
  async next<T extends ServerFrame['type']>(
    predicate: Predicate | T,
    timeoutMs = 5000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const match: Predicate = typeof predicate === 'string' ? (f) => f.type === predicate : predicate;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = 0; i < this.frames.length; i += 1) {
        const frame = this.frames[i];
        if (!this.#consumed.has(i) && match(frame)) {
          this.#consumed.add(i);
          return frame as Extract<ServerFrame, { type: T }>;
        }
      }
      if (this.closeCode !== undefined) throw new Error(`closed (${this.closeCode}) before a matching frame`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next publication matching `match`. */
  async nextPublication(
    match: (p: PublicationFrame) => boolean,
    timeoutMs = 5000,
  ): Promise<PublicationFrame> {
    return (await this.next((f) => f.type === 'publication' && match(f), timeoutMs)) as PublicationFrame;
  }

  /** Send a request with `id` and wait for the reply (or error) carrying that id. */
  async request(frame: Record<string, unknown> & { id: string }): Promise<ServerFrame> {
    this.send(frame);
    return this.next((f) => 'id' in f && f.id === frame.id);
  }

  /** All publication frames of `channel` received so far. */
  publications(channel: string) {
    return this.frames.filter(
      (f): f is Extract<ServerFrame, { type: 'publication' }> =>
        f.type === 'publication' && f.channel === channel,
    );
  }

  close(): void {
    this.ws.close();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
