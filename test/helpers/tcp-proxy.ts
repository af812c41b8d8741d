/**
 * A fault-injecting TCP proxy for reliability tests: clients connect to the proxy, which forwards
 * bytes both ways to a target (the hub). Between the two, a test can
 * - `dropAll()`: cut every current connection (a dead Wi-Fi, a crashed load balancer),
 * - `pause()` / `resume()`: stop forwarding bytes without closing anything (a stalled or half-open
 *   network; TCP backpressure then stalls the senders),
 * - `refuseNew(true)`: reset new connections at once (the server unreachable),
 * and the server and the clients see real TCP behaviour, not a mock.
 *
 * ```ts
 * const proxy = await startTcpProxy({ targetPort: server.port });
 * const client = createClient(proxy.wsUrl('/ws'), ...);
 * proxy.dropAll();           // the client reconnects through the proxy
 * await proxy.close();       // in afterEach
 * ```
 */
import net from 'node:net';

export interface TcpProxyOptions {
  targetPort: number;
  /** Default 127.0.0.1. */
  targetHost?: string;
  /** Where the proxy listens; default 127.0.0.1 on a free port. */
  host?: string;
  port?: number;
}

export interface TcpProxy {
  readonly port: number;
  /** `ws://host:port<path>` through the proxy, e.g. `proxy.wsUrl('/ws')`. */
  wsUrl(path: string): string;
  /** Connections currently forwarded (pairs of client and upstream sockets). */
  readonly connectionCount: number;
  /** Connections accepted since the start (to count reconnects). */
  readonly acceptedCount: number;
  /**
   * Cuts every current connection. By default with a TCP reset (the peers get ECONNRESET, as when a
   * network path dies); `{ reset: false }` closes them with a FIN instead. New connections are still accepted.
   */
  dropAll(options?: { reset?: boolean }): void;
  /** Stops forwarding in both directions on current and new connections; nothing is closed. */
  pause(): void;
  /** Forwards again, including the bytes held back while paused. */
  resume(): void;
  /** While true, new connections are reset as soon as they are accepted. */
  refuseNew(refuse: boolean): void;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const host = options.host ?? '127.0.0.1';
  const pairs = new Set<Pair>();
  let paused = false;
  let refusing = false;
  let accepted = 0;

  const server = net.createServer(function onProxyConnection(client) {
    accepted += 1;
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: targetHost, port: options.targetPort });
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    forward(client, upstream, () => paused);
    forward(upstream, client, () => paused);
    if (paused) {
      client.pause();
      upstream.pause();
    }
    function release(): void {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    }
    client.on('close', release);
    upstream.on('close', release);
    // A reset or a refused upstream ends the pair; `close` follows and releases it.
    client.on('error', release);
    upstream.on('error', release);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcp proxy: no TCP address');
  const port = address.port;

  return {
    port,
    wsUrl: (path) => `ws://${host}:${port}${path}`,
    get connectionCount() {
      return pairs.size;
    },
    get acceptedCount() {
      return accepted;
    },
    dropAll({ reset = true } = {}) {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        if (reset) {
          pair.client.resetAndDestroy();
          pair.upstream.resetAndDestroy();
        } else {
          pair.client.end();
          pair.upstream.end();
        }
      }
    },
    pause() {
      paused = true;
      for (const pair of pairs) {
        pair.client.pause();
        pair.upstream.pause();
      }
    },
    resume() {
      paused = false;
      for (const pair of pairs) {
        pair.client.resume();
        pair.upstream.resume();
      }
    },
    refuseNew(refuse) {
      refusing = refuse;
    },
    close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      pairs.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Copies `from` into `to`, honouring backpressure: when `to` is full, `from` pauses until `to` drains
 * (unless the proxy as a whole is paused, in which case only `resume()` restarts it).
 */
function forward(from: net.Socket, to: net.Socket, isPaused: () => boolean): void {
  from.on('data', function forwardChunk(chunk: Buffer) {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', function resumeAfterDrain() {
    if (!isPaused()) from.resume();
  });
  from.on('end', function forwardEnd() {
    to.end();
  });
}
