/**
 * How the publisher hands a message to each server: a WebSocket text frame for the raw `ws`
 * baselines, a Socket.IO event for Socket.IO, and TrendStream's HTTP publish API (keep-alive,
 * pipelined) for TrendStream. Each transport reports refused publications so a run cannot silently
 * measure nothing.
 */
import { connect, type Socket } from 'node:net';
import {
  SOCKETIO_PATH,
  SOCKETIO_PUB_NAMESPACE,
  TRENDSTREAM_API_KEY,
  TRENDSTREAM_CHANNEL,
  WS_PUB_PATH,
  type ServerKind,
} from '../servers/kinds.ts';
import { RawWsClient } from './raw-ws-client.ts';

export interface PublishTransport {
  /** Send one message; `build` is called when it is actually written, so its stamp is the send time. */
  publish(build: () => string): void;
  /** Publications the server refused or failed (HTTP status other than 200). */
  readonly failures: number;
  close(): void;
}

const CONNECT_TIMEOUT_MS = 10_000;

export function openPublishTransport(
  kind: ServerKind,
  host: string,
  port: number,
): Promise<PublishTransport> {
  switch (kind) {
    case 'ws-plain':
    case 'ws-preframed':
      return openWsTransport(host, port, WS_PUB_PATH, (text) => text, undefined);
    case 'socketio':
      return openWsTransport(
        host,
        port,
        SOCKETIO_PATH,
        (text) => `42${SOCKETIO_PUB_NAMESPACE},["p",${text}]`,
        socketIoHandshake,
      );
    case 'trendstream':
      return openHttpTransport(host, port);
  }
}

/** Engine.IO open → join the publisher namespace → its connect reply. Returns true when done. */
function socketIoHandshake(client: RawWsClient, payload: string): boolean {
  if (payload === '2') client.sendText('3');
  else if (payload.startsWith('0{')) client.sendText(`40${SOCKETIO_PUB_NAMESPACE},`);
  return payload.startsWith(`40${SOCKETIO_PUB_NAMESPACE},`);
}

function openWsTransport(
  host: string,
  port: number,
  path: string,
  wrap: (text: string) => string,
  handshake: ((client: RawWsClient, payload: string) => boolean) | undefined,
): Promise<PublishTransport> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      client.destroy();
      reject(new Error(`publisher could not connect to ${path}`));
    }, CONNECT_TIMEOUT_MS);
    const transport: PublishTransport = {
      failures: 0,
      publish: (build) => client.sendText(wrap(build())),
      close: () => client.destroy(),
    };
    const becomeReady = (): void => {
      ready = true;
      clearTimeout(timer);
      resolve(transport);
    };
    const client = new RawWsClient({
      id: 0,
      host,
      port,
      path,
      handlers: {
        onOpen: () => {
          if (!handshake) becomeReady();
        },
        onMessage: (self, payload) => {
          const text = payload.length < 256 ? payload.toString() : '';
          if (text === '2') self.sendText('3');
          else if (!ready && handshake?.(self, text)) becomeReady();
        },
        onClose: (_self, error) => {
          if (ready) return;
          clearTimeout(timer);
          reject(error ?? new Error('publisher connection closed during the handshake'));
        },
      },
    });
  });
}

/**
 * TrendStream drops an HTTP connection with more than 16 requests in flight (src/server/http-guard.ts),
 * so the publisher pipelines at most this many and holds the rest until replies come back.
 */
const MAX_HTTP_IN_FLIGHT = 16;

/** POST /api/publish on one keep-alive socket; replies are only counted and checked for 200. */
class HttpPublishTransport implements PublishTransport {
  failures = 0;
  #tail = '';
  #inFlight = 0;
  readonly #backlog: (() => string)[] = [];
  readonly #prefix: string;

  constructor(
    private readonly socket: Socket,
    host: string,
    port: number,
  ) {
    this.#prefix =
      `POST /api/publish HTTP/1.1\r\nHost: ${host}:${port}\r\nAuthorization: Bearer ${TRENDSTREAM_API_KEY}\r\n` +
      `Content-Type: application/json\r\nConnection: keep-alive\r\nContent-Length: `;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('close', () => {
      this.failures += this.#inFlight + this.#backlog.length;
      this.#backlog.length = 0;
    });
  }

  publish(build: () => string): void {
    if (this.#inFlight >= MAX_HTTP_IN_FLIGHT) {
      this.#backlog.push(build);
      return;
    }
    this.#send(build);
  }

  close(): void {
    this.socket.destroy();
  }

  #send(build: () => string): void {
    if (this.socket.destroyed) {
      this.failures += 1;
      return;
    }
    this.#inFlight += 1;
    const body = `{"channel":"${TRENDSTREAM_CHANNEL}","data":${build()}}`;
    this.socket.write(`${this.#prefix}${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  #onData(chunk: Buffer): void {
    const text = this.#tail + chunk.toString('latin1');
    let replies = 0;
    let at = text.indexOf('HTTP/1.1 ');
    while (at !== -1 && at + 12 <= text.length) {
      replies += 1;
      if (text.slice(at + 9, at + 12) !== '200') this.failures += 1;
      at = text.indexOf('HTTP/1.1 ', at + 12);
    }
    this.#tail = at === -1 ? text.slice(-11) : text.slice(at);
    this.#inFlight -= replies;
    while (this.#inFlight < MAX_HTTP_IN_FLIGHT && this.#backlog.length > 0) {
      const next = this.#backlog.shift();
      if (next) this.#send(next);
    }
  }
}

function openHttpTransport(host: string, port: number): Promise<PublishTransport> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(new HttpPublishTransport(socket, host, port));
    });
  });
}
