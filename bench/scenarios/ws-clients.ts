/**
 * TrendStream clients inside the orchestrator for the smaller scenarios (a few subscribers, one
 * publisher): the bench's raw WebSocket client plus just enough of the protocol — wait for the
 * `connection` frame, subscribe, and hand every other frame to a listener. Frames are parsed as JSON:
 * these clients see thousands of frames, not millions.
 */
import { RawWsClient } from '../load/raw-ws-client.ts';

const HOST = '127.0.0.1';
const PUBLICATION_MARK = Buffer.from('"type":"publication"');

export type Frame = Record<string, unknown> & { type: string };

export class BenchWsClient {
  /** Frames nobody was waiting for go here (publications, acks). */
  onFrame: (frame: Frame, receivedAt: number) => void = () => undefined;
  /** When set, every message goes here unparsed instead (counting many publications cheaply). */
  onPayload: ((payload: Buffer, receivedAt: number) => void) | undefined;
  readonly #waiters = new Map<string, { resolve: (frame: Frame) => void; reject: (error: Error) => void }>();
  #closeError: Error | undefined;

  private constructor(readonly raw: RawWsClient) {}

  /** Connect to `/ws` and wait for the `connection` frame. */
  static connect(port: number, query = '', timeoutMs = 10_000): Promise<BenchWsClient> {
    return new Promise((resolve, reject) => {
      let client: BenchWsClient | undefined;
      const timer = setTimeout(() => {
        raw.destroy();
        reject(new Error('no connection frame in time'));
      }, timeoutMs);
      const raw = new RawWsClient({
        id: 0,
        host: HOST,
        port,
        path: `/ws${query === '' ? '' : `?${query}`}`,
        handlers: {
          onOpen: () => undefined,
          onMessage: (_self, payload, receivedAt) => {
            if (client?.onPayload) {
              client.onPayload(payload, receivedAt);
              return;
            }
            const frame = JSON.parse(payload.toString()) as Frame;
            if (!client) {
              if (frame.type !== 'connection') return;
              clearTimeout(timer);
              client = new BenchWsClient(raw);
              resolve(client);
              return;
            }
            client.#dispatch(frame, receivedAt);
          },
          onClose: (_self, error) => {
            clearTimeout(timer);
            if (!client) reject(error ?? new Error('closed before the connection frame'));
            else client.#closed(error ?? new Error('connection closed'));
          },
        },
      });
    });
  }

  /** Send a frame with `id` and resolve with the reply carrying that id (an error frame rejects). */
  request(frame: Record<string, unknown> & { id: string }, timeoutMs = 10_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      if (this.#closeError) {
        reject(this.#closeError);
        return;
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(frame.id);
        reject(new Error(`no reply to ${frame.id} in time`));
      }, timeoutMs);
      this.#waiters.set(frame.id, {
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.type === 'error')
            reject(new Error(`server refused ${frame.id}: ${JSON.stringify(reply)}`));
          else resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.raw.sendText(JSON.stringify(frame));
    });
  }

  async subscribe(channel: string): Promise<void> {
    await this.request({ type: 'subscribe', id: `s:${channel}`, channel });
  }

  send(frame: Record<string, unknown>): void {
    this.raw.sendText(JSON.stringify(frame));
  }

  close(): void {
    this.raw.destroy();
  }

  #dispatch(frame: Frame, receivedAt: number): void {
    const id = typeof frame.id === 'string' ? frame.id : undefined;
    const waiter = id === undefined ? undefined : this.#waiters.get(id);
    if (waiter && id !== undefined) {
      this.#waiters.delete(id);
      waiter.resolve(frame);
      return;
    }
    this.onFrame(frame, receivedAt);
  }

  #closed(error: Error): void {
    this.#closeError = error;
    for (const waiter of this.#waiters.values()) waiter.reject(error);
    this.#waiters.clear();
  }
}

/** `count` clients subscribed to `channel`, each counting the publications it receives. */
export async function subscribers(
  port: number,
  channel: string,
  count: number,
): Promise<{ clients: BenchWsClient[]; received: () => number }> {
  const clients = await Promise.all(
    Array.from({ length: count }, () => BenchWsClient.connect(port, 'name=bench-sub')),
  );
  let received = 0;
  for (const client of clients) {
    await client.subscribe(channel);
    client.onPayload = (payload) => {
      if (payload.includes(PUBLICATION_MARK)) received += 1;
    };
  }
  return { clients, received: () => received };
}
