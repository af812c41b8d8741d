/**
 * "Others unaffected", measured: a well-behaved client subscribed to `events` while the server
 * publishes a heartbeat there every few ms. It must get every beat, in order, and the delay from
 * publish to receipt tells whether an abusive client slowed the hub down for everyone.
 */
import WebSocket from 'ws';
import type { RunningServer } from '../helpers/start-test-server.ts';

export interface BystanderReport {
  /** Set when the server closed the bystander: it was affected. */
  closeCode?: number;
  beats: number;
  received: number;
  inOrder: boolean;
  maxDelayMs: number;
  p99DelayMs: number;
}

export class Bystander {
  readonly #delays: number[] = [];
  readonly #seqs: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #beats = 0;
  /** The last `client_count` pushed to this client. */
  clientCount = -1;
  closeCode: number | undefined;

  private constructor(
    private readonly server: RunningServer,
    private readonly ws: WebSocket,
  ) {
    ws.on('close', (code) => (this.closeCode = code));
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as {
        type: string;
        seq?: number;
        count?: number;
        data?: { sentAt?: number };
      };
      if (frame.type === 'client_count' && typeof frame.count === 'number') this.clientCount = frame.count;
      if (frame.type !== 'publication' || typeof frame.data?.sentAt !== 'number') return;
      this.#delays.push(performance.now() - frame.data.sentAt);
      this.#seqs.push(frame.seq ?? -1);
    });
  }

  static async join(server: RunningServer): Promise<Bystander> {
    const ws = new WebSocket(`${server.wsUrl}?name=bystander`);
    ws.on('error', () => undefined);
    const bystander = new Bystander(server, ws);
    await new Promise<void>((resolve, reject) => {
      ws.on('message', function awaitSubscribed(data: Buffer) {
        const type = (JSON.parse(data.toString()) as { type: string }).type;
        if (type === 'connection') ws.send(JSON.stringify({ type: 'subscribe', channel: 'events' }));
        if (type === 'subscribed') {
          ws.off('message', awaitSubscribed);
          resolve();
        }
      });
      ws.once('close', () => reject(new Error('the bystander could not connect')));
    });
    return bystander;
  }

  /** Publish a beat every `intervalMs` until `stop()`. */
  start(intervalMs = 20): void {
    this.#timer = setInterval(() => {
      this.#beats += 1;
      this.server.hub.publish('events', { sentAt: performance.now() }).catch(() => undefined);
    }, intervalMs);
  }

  /** Stop beating, give the last beats time to arrive, and report. */
  async stop(): Promise<BystanderReport> {
    clearInterval(this.#timer);
    const deadline = Date.now() + 3000;
    while (this.#delays.length < this.#beats && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const sorted = [...this.#delays].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Infinity;
    return {
      ...(this.closeCode === undefined ? {} : { closeCode: this.closeCode }),
      beats: this.#beats,
      received: this.#delays.length,
      inOrder: this.#seqs.every((seq, i) => i === 0 || seq > this.#seqs[i - 1]),
      maxDelayMs: Math.round(sorted.at(-1) ?? Infinity),
      p99DelayMs: Math.round(p99),
    };
  }

  close(): void {
    clearInterval(this.#timer);
    this.ws.close();
  }
}
