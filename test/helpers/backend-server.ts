/**
 * A real HTTP server playing the application's backend in tests: each path has a handler the test
 * sets (or changes mid-test), every request is recorded with its headers and raw body, and it can be
 * stopped and started again on the same port (a backend restart).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BackendRequest {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: unknown;
}

/** What a handler answers: JSON (status 200 unless given), raw text, or nothing for `delayMs` first. */
export interface BackendResponse {
  status?: number;
  json?: unknown;
  text?: string;
  delayMs?: number;
}

export type BackendHandler = (request: BackendRequest) => BackendResponse | Promise<BackendResponse>;

export class TestBackend {
  readonly requests: BackendRequest[] = [];
  readonly #handlers = new Map<string, BackendHandler>();
  #server: Server | undefined;
  #port = 0;

  /** Sets (or replaces) the handler of `path`; unknown paths answer 404. */
  on(path: string, handler: BackendHandler): this {
    this.#handlers.set(path, handler);
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.#port}${path}`;
  }

  /** Requests to `path`, oldest first. */
  calls(path: string): BackendRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** Listens (again, on the same port after `stop`); does nothing while listening. */
  async start(): Promise<this> {
    if (this.#server) return this;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString();
        let body: unknown;
        try {
          body = raw === '' ? undefined : JSON.parse(raw);
        } catch {
          body = undefined;
        }
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const request: BackendRequest = { path, headers: req.headers, raw, body };
        this.requests.push(request);
        const handler = this.#handlers.get(path);
        void Promise.resolve(handler ? handler(request) : { status: 404, text: 'no handler' }).then(
          async (response) => {
            if (response.delayMs) await new Promise((r) => setTimeout(r, response.delayMs));
            if (res.destroyed) return;
            const text = response.text ?? JSON.stringify(response.json ?? {});
            res.writeHead(response.status ?? 200, {
              'content-type': response.text === undefined ? 'application/json' : 'text/plain',
            });
            res.end(text);
          },
          () => {
            res.writeHead(500).end();
          },
        );
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', resolve);
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** Stops listening and drops open connections (keep-alive ones too). */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function startTestBackend(): Promise<TestBackend> {
  return new TestBackend().start();
}
