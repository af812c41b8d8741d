/**
 * A minimal WebSocket client on a bare TCP socket, for the load generator: the RFC 6455 handshake,
 * an unmasked-frame parser that hands out payload slices without copying, masked sends, and automatic
 * pong and close replies. It is several times cheaper per received message than the `ws` client, so
 * the subscriber processes are not what limits the benchmark, and it treats every server alike.
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { monotonicMicros } from '../clock.ts';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;
const MAX_HANDSHAKE_BYTES = 16 * 1024;
const CLIENT = Symbol('raw-ws-client');

export interface RawWsHandlers {
  onOpen(client: RawWsClient): void;
  /** A whole data message; `receivedAt` is when its TCP chunk arrived (µs, shared monotonic clock). */
  onMessage(client: RawWsClient, payload: Buffer, receivedAt: number): void;
  /** The socket is gone; `error` when the handshake or the stream failed. */
  onClose(client: RawWsClient, error?: Error): void;
}

export interface RawWsOptions {
  id: number;
  host: string;
  port: number;
  /** Path and query of the upgrade request, e.g. `/ws` or `/socket.io/?EIO=4&transport=websocket`. */
  path: string;
  /** Source address (several 127.0.0.x spread connections over more ephemeral ports). */
  localAddress?: string;
  handlers: RawWsHandlers;
}

type SocketWithClient = Socket & { [CLIENT]: RawWsClient };

export class RawWsClient {
  readonly id: number;
  readonly socket: Socket;
  open = false;
  closed = false;
  readonly #handlers: RawWsHandlers;
  readonly #expectedAccept: string;
  #rest: Buffer | null = null;
  #fragments: Buffer[] | null = null;

  constructor(options: RawWsOptions) {
    this.id = options.id;
    this.#handlers = options.handlers;
    const key = randomBytes(16).toString('base64');
    this.#expectedAccept = createHash('sha1')
      .update(key + WS_GUID)
      .digest('base64');
    const socket = connect({
      host: options.host,
      port: options.port,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    }) as SocketWithClient;
    socket[CLIENT] = this;
    socket.setNoDelay(true);
    socket.on('data', socketOnData);
    socket.on('error', socketOnError);
    socket.on('close', socketOnClose);
    socket.on('end', socketOnEnd);
    socket.write(
      `GET ${options.path} HTTP/1.1\r\nHost: ${options.host}:${options.port}\r\n` +
        `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
        `Sec-WebSocket-Version: 13\r\n\r\n`,
    );
    this.socket = socket;
  }

  sendText(text: string): void {
    this.#sendFrame(OPCODE_TEXT, Buffer.from(text));
  }

  /** Stop reading: the kernel buffers fill and the server sees a stalled consumer. */
  pause(): void {
    this.socket.pause();
  }

  destroy(): void {
    this.socket.destroy();
  }

  #sendFrame(opcode: number, payload: Buffer): void {
    if (this.closed || !this.socket.writable) return;
    const length = payload.length;
    const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(headerLength + 4 + length);
    frame[0] = 0x80 | opcode;
    if (length < 126) {
      frame[1] = 0x80 | length;
    } else if (length < 65_536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
      frame.writeUInt32BE(length >>> 0, 6);
    }
    const maskAt = headerLength;
    randomFillSync(frame, maskAt, 4);
    const dataAt = maskAt + 4;
    for (let i = 0; i < length; i += 1) frame[dataAt + i] = payload[i] ^ frame[maskAt + (i & 3)];
    this.socket.write(frame);
  }

  /** @internal called by the socket's data listener. */
  receive(chunk: Buffer): void {
    const buffer = this.#rest === null ? chunk : Buffer.concat([this.#rest, chunk]);
    this.#rest = null;
    let pos = 0;
    if (!this.open) {
      pos = this.#readHandshake(buffer);
      if (pos < 0) return;
    }
    const receivedAt = monotonicMicros();
    const end = buffer.length;
    while (end - pos >= 2) {
      const b0 = buffer[pos];
      const b1 = buffer[pos + 1];
      if ((b1 & 0x80) !== 0) return this.#fail('server sent a masked frame');
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (end - pos < 4) break;
        length = buffer.readUInt16BE(pos + 2);
        header = 4;
      } else if (length === 127) {
        if (end - pos < 10) break;
        length = buffer.readUInt32BE(pos + 2) * 2 ** 32 + buffer.readUInt32BE(pos + 6);
        header = 10;
      }
      if (end - pos < header + length) break;
      const payload = buffer.subarray(pos + header, pos + header + length);
      pos += header + length;
      this.#dispatch(b0, payload, receivedAt);
      if (this.closed) return;
    }
    if (pos < end) this.#rest = buffer.subarray(pos);
  }

  #dispatch(b0: number, payload: Buffer, receivedAt: number): void {
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    if (opcode >= OPCODE_CLOSE) {
      if (opcode === OPCODE_PING) this.#sendFrame(OPCODE_PONG, payload);
      // Echo the close code: the server then closes TCP first and keeps the TIME_WAIT on its side.
      else if (opcode === OPCODE_CLOSE) this.#sendFrame(OPCODE_CLOSE, payload.subarray(0, 2));
      return;
    }
    if (!fin || opcode === OPCODE_CONTINUATION) {
      const fragments = (this.#fragments ??= []);
      fragments.push(Buffer.from(payload));
      if (!fin) return;
      this.#fragments = null;
      this.#handlers.onMessage(this, Buffer.concat(fragments), receivedAt);
      return;
    }
    this.#handlers.onMessage(this, payload, receivedAt);
  }

  /** Returns the offset of the first frame byte, or -1 when the head is incomplete or refused. */
  #readHandshake(buffer: Buffer): number {
    const headEnd = buffer.indexOf('\r\n\r\n');
    if (headEnd === -1) {
      if (buffer.length > MAX_HANDSHAKE_BYTES) this.#fail('handshake response too large');
      else this.#rest = buffer;
      return -1;
    }
    const head = buffer.toString('latin1', 0, headEnd);
    const status = head.slice(0, head.indexOf('\r\n'));
    if (!/^HTTP\/1\.1 101 /.test(status)) {
      this.#fail(`upgrade refused: ${status}`);
      return -1;
    }
    const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head)?.[1];
    if (accept !== this.#expectedAccept) {
      this.#fail('bad Sec-WebSocket-Accept');
      return -1;
    }
    this.open = true;
    this.#handlers.onOpen(this);
    return headEnd + 4;
  }

  #fail(message: string): void {
    this.socket.destroy(new Error(message));
  }

  /** @internal called once by the socket's close listener. */
  finish(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.open = false;
    this.#rest = null;
    this.#handlers.onClose(this, error);
  }
}

function clientOf(socket: Socket): RawWsClient {
  return (socket as SocketWithClient)[CLIENT];
}

function socketOnData(this: Socket, chunk: Buffer): void {
  clientOf(this).receive(chunk);
}

const lastErrors = new WeakMap<Socket, Error>();

function socketOnError(this: Socket, error: Error): void {
  lastErrors.set(this, error);
}

function socketOnEnd(this: Socket): void {
  this.destroy();
}

function socketOnClose(this: Socket): void {
  clientOf(this).finish(lastErrors.get(this));
}
