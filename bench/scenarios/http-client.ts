/**
 * A minimal HTTP/1.1 client on one keep-alive TCP socket for the scenarios: POSTs are pipelined up to
 * a window (TrendStream drops a connection with more than 16 requests in flight, http-guard.ts) and
 * their replies read by `Content-Length`, which Fastify always sends for JSON. Cheap enough that the
 * load side is not what limits the server, and it keeps every request on the same connection.
 */
import { connect, type Socket } from 'node:net';

export interface HttpReply {
  status: number;
  body: string;
}

interface Pending {
  head: string;
  resolve: (reply: HttpReply) => void;
  reject: (error: Error) => void;
}

const HEAD_END = Buffer.from('\r\n\r\n');

export class PipelinedHttpClient {
  readonly #waiting: Pending[] = [];
  readonly #sent: Pending[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  #closedError: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly host: string,
    private readonly window: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => {
      this.#closedError = error;
    });
    socket.on('close', () => this.#failAll(this.#closedError ?? new Error('HTTP connection closed')));
  }

  static open(host: string, port: number, window = 16): Promise<PipelinedHttpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new PipelinedHttpClient(socket, `${host}:${port}`, window));
      });
    });
  }

  /** Requests sent and not yet answered, plus those waiting for room in the window. */
  get inFlight(): number {
    return this.#sent.length + this.#waiting.length;
  }

  post(path: string, body: string, headers: Record<string, string> = {}): Promise<HttpReply> {
    let head = `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/json\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    head += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    return new Promise((resolve, reject) => {
      if (this.#closedError || this.socket.destroyed) {
        reject(this.#closedError ?? new Error('HTTP connection closed'));
        return;
      }
      this.#waiting.push({ head, resolve, reject });
      this.#pump();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  #pump(): void {
    while (this.#sent.length < this.window && this.#waiting.length > 0) {
      const next = this.#waiting.shift() as Pending;
      this.#sent.push(next);
      this.socket.write(next.head);
    }
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headEnd = this.#buffer.indexOf(HEAD_END);
      if (headEnd === -1) return;
      const head = this.#buffer.toString('latin1', 0, headEnd);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? Number.NaN);
      if (!Number.isFinite(length)) {
        this.socket.destroy(new Error(`reply without Content-Length: ${head.slice(0, 120)}`));
        return;
      }
      const end = headEnd + 4 + length;
      if (this.#buffer.length < end) return;
      const status = Number(head.slice(9, 12));
      const body = this.#buffer.toString('utf8', headEnd + 4, end);
      this.#buffer = this.#buffer.subarray(end);
      this.#sent.shift()?.resolve({ status, body });
      this.#pump();
    }
  }

  #failAll(error: Error): void {
    for (const pending of [...this.#sent.splice(0), ...this.#waiting.splice(0)]) pending.reject(error);
  }
}
