/**
 * A TCP proxy that injects random faults into each connection it forwards, for the chaos suites.
 * test/helpers/tcp-proxy.ts cuts or stalls every connection at once on command; this one gives each
 * connection its own seeded fault schedule while a test runs, so 50 clients fail at 50 different moments:
 * - `reset`: both sockets reset (a dead network path: ECONNRESET, no close frame);
 * - `delay`: nothing forwarded either way for a while, then everything held back flows (a latency spike);
 * - `half-close-client` / `half-close-server`: a FIN toward one side only, the other direction left open
 *   (a proxy or NAT closing one half of the connection).
 * The target port can change (a node restarted on another port). Connection n (in accept order)
 * always draws from the same seeded stream, so a seed replays the same schedule per connection;
 * only how connections interleave in time can differ between runs.
 */
import net from 'node:net';
import { seededRandom, type SeededRandom } from './seeded-random.ts';

export type FaultKind = 'reset' | 'delay' | 'half-close-client' | 'half-close-server';

export interface FaultPlan {
  /** Mean time between faults on one connection (exponentially distributed). */
  meanIntervalMs: number;
  /** No fault during a connection's first moments, so reconnects get through. */
  graceMs: number;
  /** Relative frequency of each fault kind. */
  weights: Readonly<Record<FaultKind, number>>;
  /** Range of a `delay` fault, ms. */
  delayMs: readonly [number, number];
}

export interface ChaosProxy {
  readonly port: number;
  wsUrl(path: string): string;
  /** Faults injected so far, by kind. */
  readonly faults: Readonly<Record<FaultKind, number>>;
  readonly totalFaults: number;
  readonly acceptedCount: number;
  readonly connectionCount: number;
  setTarget(port: number): void;
  /** Start injecting faults into current and new connections. */
  start(plan: FaultPlan): void;
  /** Stop injecting (pending delays still end normally). */
  stop(): void;
  close(): Promise<void>;
}

interface Pair {
  random: SeededRandom;
  client: net.Socket;
  upstream: net.Socket;
  held: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** Half-closed pairs are destroyed after this long if the peers never finish closing. */
const HALF_CLOSE_GRACE_MS = 3000;

export async function startChaosProxy(targetPort: number, seed: number): Promise<ChaosProxy> {
  let target = targetPort;
  let plan: FaultPlan | undefined;
  let accepted = 0;
  const pairs = new Set<Pair>();
  const faults: Record<FaultKind, number> = {
    reset: 0,
    delay: 0,
    'half-close-client': 0,
    'half-close-server': 0,
  };

  function scheduleFault(pair: Pair, initial: boolean): void {
    clearTimeout(pair.timer);
    pair.timer = undefined;
    if (!plan || !pairs.has(pair)) return;
    const wait = (initial ? plan.graceMs : 0) + pair.random.exponential(plan.meanIntervalMs);
    pair.timer = setTimeout(() => injectFault(pair), wait);
  }

  function injectFault(pair: Pair): void {
    pair.timer = undefined;
    if (!plan || !pairs.has(pair)) return;
    const kind = pair.random.weighted(plan.weights);
    faults[kind] += 1;
    switch (kind) {
      case 'reset':
        release(pair, true);
        return;
      case 'delay': {
        hold(pair, true);
        const [min, max] = plan.delayMs;
        pair.timer = setTimeout(
          () => {
            hold(pair, false);
            scheduleFault(pair, false);
          },
          pair.random.int(min, max),
        );
        return;
      }
      case 'half-close-client':
      case 'half-close-server': {
        (kind === 'half-close-client' ? pair.client : pair.upstream).end();
        pair.timer = setTimeout(() => release(pair, false), HALF_CLOSE_GRACE_MS);
        return;
      }
    }
  }

  function hold(pair: Pair, held: boolean): void {
    pair.held = held;
    for (const socket of [pair.client, pair.upstream]) {
      if (held) socket.pause();
      else socket.resume();
    }
  }

  function release(pair: Pair, reset: boolean): void {
    if (!pairs.delete(pair)) return;
    clearTimeout(pair.timer);
    for (const socket of [pair.client, pair.upstream]) {
      if (reset && !socket.destroyed) socket.resetAndDestroy();
      else socket.destroy();
    }
  }

  const server = net.createServer(function onChaosConnection(client) {
    accepted += 1;
    const upstream = net.connect({ host: '127.0.0.1', port: target });
    const pair: Pair = {
      random: seededRandom((seed * 7919 + accepted) >>> 0),
      client,
      upstream,
      held: false,
      timer: undefined,
    };
    pairs.add(pair);
    forward(pair, client, upstream);
    forward(pair, upstream, client);
    const end = (): void => release(pair, false);
    for (const socket of [client, upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
    scheduleFault(pair, true);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('chaos proxy: no TCP address');
  const port = address.port;

  return {
    port,
    wsUrl: (path) => `ws://127.0.0.1:${port}${path}`,
    faults,
    get totalFaults() {
      return Object.values(faults).reduce((sum, n) => sum + n, 0);
    },
    get acceptedCount() {
      return accepted;
    },
    get connectionCount() {
      return pairs.size;
    },
    setTarget(port) {
      target = port;
    },
    start(next) {
      plan = next;
      for (const pair of pairs) scheduleFault(pair, false);
    },
    stop() {
      plan = undefined;
      for (const pair of pairs) {
        if (!pair.held) {
          clearTimeout(pair.timer);
          pair.timer = undefined;
        }
      }
    },
    close() {
      plan = undefined;
      for (const pair of [...pairs]) release(pair, false);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Copies `from` into `to` with backpressure, unless the pair is held or `to` was half-closed. */
function forward(pair: Pair, from: net.Socket, to: net.Socket): void {
  from.on('data', function forwardChunk(chunk: Buffer) {
    if (to.writableEnded || to.destroyed) return;
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', function resumeAfterDrain() {
    if (!pair.held) from.resume();
  });
  from.on('end', function forwardEnd() {
    if (!to.writableEnded && !to.destroyed) to.end();
  });
}
