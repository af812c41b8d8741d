/**
 * Small helpers for the SDK suites: wait for a condition, record status events, and close every
 * client a test created (call `closeAll()` in afterEach).
 */
import WebSocket from 'ws';
import { createClient } from '../../src/client/node.ts';
import type {
  ClientOptions,
  StatusEvent,
  TrendStreamClient,
  WebSocketConstructor,
} from '../../src/client/types.ts';

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A client plus everything it reported, for assertions. */
export interface TrackedClient {
  client: TrendStreamClient;
  statuses: StatusEvent[];
}

export class ClientPool {
  readonly #clients: TrendStreamClient[] = [];

  /** A Node SDK client with fast reconnects (tests override what they need). */
  create(url: string, options: ClientOptions = {}): TrackedClient {
    const client = createClient(url, { baseDelayMs: 20, maxDelayMs: 200, ...options });
    const statuses: StatusEvent[] = [];
    client.on('status', (status) => statuses.push(status));
    this.#clients.push(client);
    return { client, statuses };
  }

  /** A client that is connected when the promise resolves. */
  async connected(url: string, options: ClientOptions = {}): Promise<TrackedClient> {
    const tracked = this.create(url, options);
    await waitFor(() => tracked.client.state === 'connected', 'the client to connect');
    return tracked;
  }

  closeAll(): void {
    for (const client of this.#clients.splice(0)) client.disconnect();
  }
}

/** What a recording WebSocket saw: each connection URL and every frame the SDK sent, parsed. */
export interface WireLog {
  urls: URL[];
  sent: Array<{ type: string; [key: string]: unknown }>;
}

export function newWireLog(): WireLog {
  return { urls: [], sent: [] };
}

/** A `ws` WebSocket that records into `log`, for `options.WebSocket`. */
export function recordingWebSocket(log: WireLog): WebSocketConstructor {
  class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      log.urls.push(new URL(url));
      const send = this.send.bind(this);
      this.send = ((data: string) => {
        log.sent.push(JSON.parse(data) as WireLog['sent'][number]);
        send(data);
      }) as WebSocket['send'];
    }
  }
  return RecordingWebSocket as unknown as WebSocketConstructor;
}
