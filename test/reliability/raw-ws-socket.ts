/**
 * A WebSocket at the byte level, for feeding the server frames no WebSocket library would send
 * (unmasked, reserved opcodes and bits, lying lengths, broken close frames). It performs the HTTP
 * upgrade by hand, then lets a test write raw bytes and read the close code the server answers with.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface RawWsSocket {
  write(bytes: Uint8Array): void;
  /** The close code of the first close frame the server sent, once it sent one. */
  readonly closeCode: number | undefined;
  /** Whether the TCP connection is gone. */
  readonly ended: boolean;
  /** Resolves when the server sent a close frame or ended the connection, or after `ms`. */
  settle(ms: number): Promise<void>;
  /** Stop reading from the socket: the kernel buffers fill and the server sees a client that never reads. */
  pauseReading(): void;
  destroy(): void;
  /** Same as destroy (for cleanup lists). */
  close(): void;
}

export async function openRawWebSocket(port: number, path = '/ws'): Promise<RawWsSocket> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  let closeCode: number | undefined;
  let ended = false;
  const wakers = new Set<() => void>();
  const wake = (): void => {
    for (const w of wakers) w();
  };

  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', function onRawData(chunk: Buffer) {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${head}`));
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        resolve();
      }
      closeCode ??= findCloseCode(buffer);
      if (closeCode !== undefined) wake();
    });
    socket.once('close', () => {
      ended = true;
      reject(new Error('closed before the upgrade'));
      wake();
    });
  });

  return {
    write: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    get closeCode() {
      return closeCode;
    },
    get ended() {
      return ended;
    },
    settle(ms) {
      if (closeCode !== undefined || ended) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        wakers.add(done);
      });
    },
    pauseReading: () => socket.pause(),
    destroy: () => socket.destroy(),
    close: () => socket.destroy(),
  };
}

/** Walks the server's (unmasked) frames and returns the code of the first close frame, if any. */
function findCloseCode(buffer: Buffer): number | undefined {
  let offset = 0;
  while (offset + 2 <= buffer.length) {
    const opcode = buffer[offset] & 0x0f;
    let length = buffer[offset + 1] & 0x7f;
    let header = 2;
    if (length === 126) {
      if (offset + 4 > buffer.length) return undefined;
      length = buffer.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (offset + 10 > buffer.length) return undefined;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      header = 10;
    }
    if (offset + header + length > buffer.length) return undefined;
    if (opcode === 0x8) return length >= 2 ? buffer.readUInt16BE(offset + header) : 1005;
    offset += header + length;
  }
  return undefined;
}

/** A client frame: FIN/RSV/opcode byte, the mask bit and length as given, payload masked when `mask`. */
export function clientFrame(options: {
  firstByte: number;
  mask: boolean;
  payload: Uint8Array;
  /** Declared length when it should lie about the payload. */
  declaredLength?: number;
}): Buffer {
  const length = options.declaredLength ?? options.payload.length;
  const lengthBytes =
    length < 126
      ? Buffer.from([length])
      : length < 65_536
        ? Buffer.from([126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([127]), bigEndian64(length)]);
  if (options.mask) lengthBytes[0] |= 0x80;
  const key = options.mask ? randomBytes(4) : Buffer.alloc(0);
  const payload = Buffer.from(options.payload);
  if (options.mask) for (let i = 0; i < payload.length; i += 1) payload[i] ^= key[i % 4];
  return Buffer.concat([Buffer.from([options.firstByte]), lengthBytes, key, payload]);
}

function bigEndian64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}
