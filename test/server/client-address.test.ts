/**
 * `--trust-proxy`: behind a balancer every peer is the balancer, so a trusted peer's
 * X-Forwarded-For names the client (its rightmost hop that is not itself trusted); anyone else's
 * header is ignored. Seen where the address is used: the connect proxy's `remote_addr` and the
 * HTTP request log.
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../helpers/backend-server.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

let backend: TestBackend;
let server: RunningServer | undefined;

beforeAll(async () => {
  backend = await startTestBackend();
  backend.on('/connect', () => ({ json: { result: { user: 'u1' } } }));
});
afterAll(async () => {
  await backend.stop();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The `remote_addr` the connect proxy is told for an upgrade carrying `forwardedFor`. */
async function remoteAddrSeen(forwardedFor?: string): Promise<string> {
  const headers: Record<string, string> =
    forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  const client = await WsTestClient.connect(server!.wsUrl, { headers });
  client.close();
  const body = backend.calls('/connect').at(-1)?.body as { remote_addr: string };
  return body.remote_addr;
}

function serverTrusting(trustProxy: string[]): Promise<RunningServer> {
  return startTestServer({ trustProxy, connectProxyUrl: backend.url('/connect'), proxyHeaders: [] });
}

describe('the connect proxy is told the client address', () => {
  it('from X-Forwarded-For when the peer is a trusted proxy: the rightmost untrusted hop', async () => {
    server = await serverTrusting(['loopback']);
    expect(await remoteAddrSeen('198.51.100.7, 203.0.113.9')).toBe('203.0.113.9');
    // A chain of trusted proxies in front: skipped, the client is the first untrusted hop from the right.
    expect(await remoteAddrSeen('203.0.113.9, 127.0.0.2')).toBe('203.0.113.9');
    expect(await remoteAddrSeen()).toBe('127.0.0.1');
  });

  it('from the socket when the peer is not trusted, whatever the header says', async () => {
    server = await serverTrusting(['10.0.0.0/8', '192.168.1.1']);
    expect(await remoteAddrSeen('203.0.113.9')).toBe('127.0.0.1');
    await server.close();
    server = await serverTrusting([]);
    expect(await remoteAddrSeen('203.0.113.9')).toBe('127.0.0.1');
  });
});

it("logs HTTP requests with the client's address from a trusted proxy", async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  server = await startTestServer({ trustProxy: ['127.0.0.1/8'], logger });
  await fetch(`${server.httpUrl}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
  const incoming = lines.map((l) => JSON.parse(l) as { msg: string; req?: { remoteAddress?: string } });
  expect(incoming.find((l) => l.msg === 'incoming request')?.req?.remoteAddress).toBe('203.0.113.9');
});

it('refuses a trust list it cannot read, naming the setting', async () => {
  await expect(startTestServer({ trustProxy: ['10.0.0.0/8', 'proxy.internal'] })).rejects.toThrow(
    /trustProxy \(--trust-proxy\): invalid IP address: proxy\.internal/,
  );
});
