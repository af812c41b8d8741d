/**
 * The application backend of the `backend` scenario: a tiny node:http server in the bench process
 * that accepts every connect (`{"result": {"user": "u1"}}`) and every publication as sent
 * (`{"result": {}}`), and counts the calls, so a run can check the proxies were really asked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const HOST = '127.0.0.1';
const CONNECT_REPLY = JSON.stringify({ result: { user: 'u1' } });
const PUBLISH_REPLY = JSON.stringify({ result: {} });

export interface BenchBackend {
  readonly connectUrl: string;
  readonly publishUrl: string;
  /** Calls answered so far, per path. */
  readonly calls: { connect: number; publish: number; other: number };
  /** TCP connections the hub opened to the backend (keep-alive reuses them). */
  readonly connections: () => number;
  close(): Promise<void>;
}

export function startBenchBackend(): Promise<BenchBackend> {
  const calls = { connect: 0, publish: 0, other: 0 };
  const answer = (request: IncomingMessage, response: ServerResponse): void => {
    // Read the body whole (as a real backend would) before answering.
    request.resume();
    request.on('end', () => {
      let body: string;
      if (request.url === '/connect') {
        calls.connect += 1;
        body = CONNECT_REPLY;
      } else if (request.url === '/publish') {
        calls.publish += 1;
        body = PUBLISH_REPLY;
      } else {
        calls.other += 1;
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
        .end(body);
    });
  };
  const server = createServer({ keepAliveTimeout: 60_000 }, answer);
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        connectUrl: `http://${HOST}:${port}/connect`,
        publishUrl: `http://${HOST}:${port}/publish`,
        calls,
        connections: () => connections,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
