/**
 * A scripted stand-in for the hub, on a real `ws` server: it records what the SDK sends and lets a
 * test send whatever frames it wants, including ones a correct hub never sends (duplicates, gaps).
 * For the SDK's defensive paths only; everything else is tested against the real hub.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientFrame, ServerFrame } from '../../src/protocol/frames.ts';
import { waitFor } from './sdk-test-kit.ts';

export class ScriptedHub {
  /** Frames received from the SDK, oldest first, across connections. */
  readonly received: ClientFrame[] = [];
  readonly #wss: WebSocketServer;
  #socket: WebSocket | undefined;
  connections = 0;
  /** The URL of the latest connection (its query: name, token, recover). */
  lastUrl: URL | undefined;

  private constructor(wss: WebSocketServer, greet: boolean) {
    this.#wss = wss;
    wss.on('connection', (socket, request) => {
      this.connections += 1;
      this.lastUrl = new URL(request.url ?? '/', 'ws://127.0.0.1');
      this.#socket = socket;
      socket.on('message', (data) => {
        this.received.push(JSON.parse((data as Buffer).toString()) as ClientFrame);
      });
      if (greet) {
        this.send({
          type: 'connection',
          message: 'Connected to server',
          client_id: `c${this.connections}`,
          client_count: 1,
          node: 'scripted',
          user: { id: `c${this.connections}`, name: 'scripted' },
          protocol: 1,
          limits: { rate_per_second: 50, rate_burst: 100, max_frame_bytes: 65536 },
        });
      }
    });
  }

  /** `greet: false` never sends the `connection` frame (a server stuck in the handshake). */
  static async start(options: { greet?: boolean } = {}): Promise<ScriptedHub> {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new ScriptedHub(wss, options.greet ?? true);
  }

  get url(): string {
    const address = this.#wss.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return `ws://127.0.0.1:${address.port}/ws`;
  }

  send(frame: ServerFrame): void {
    this.sendRaw(JSON.stringify(frame));
  }

  /** Any text, valid JSON or not. */
  sendRaw(text: string): void {
    this.#socket?.send(text);
  }

  /** Waits for the `index`-th (0-based) frame of a type and returns it. */
  async nextFrame<T extends ClientFrame['type']>(
    type: T,
    index = 0,
  ): Promise<Extract<ClientFrame, { type: T }>> {
    const ofType = (): ClientFrame[] => this.received.filter((frame) => frame.type === type);
    await waitFor(() => ofType().length > index, `${type} frame #${index}`);
    return ofType()[index] as Extract<ClientFrame, { type: T }>;
  }

  close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    return new Promise((resolve) => this.#wss.close(() => resolve()));
  }
}
