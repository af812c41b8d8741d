/**
 * A rolling restart behind the real balancers, with the example configs as they ship: two nodes
 * (`trendstream serve` processes on 127.0.0.1:8001 and :8002) on one Redis, six SDK clients and a
 * publisher at 20 msg/s through nginx, then through HAProxy. Each node in turn gets SIGTERM (drain,
 * then 1012 closes), exits 0 and is started again; the next waits until the balancer has the
 * restarted node back, as docs/scale-out.md's procedure says. Every client must be back within 1 s
 * of being closed, on its first attempt (a 5xx or a refused connect would cost it a failed attempt),
 * with `recovered: true`, and must have received every acknowledged publication exactly once, in order.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/node.ts';
import type { TrendStreamClient } from '../../src/client/types.ts';
import { CLI_ARGS } from '../helpers/cli-from-sources.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { startServeProcess, terminate, type ServeProcess } from '../helpers/serve-process.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { findProgram, startHaproxy, startNginx, type LoadBalancer } from './load-balancer.ts';

const NODE_PORTS = [8001, 8002] as const;
const API_KEY = 'rolling-restart-key';
const CLIENTS = 6;
const PUBLISH_EVERY_MS = 50;
/** The HAProxy example brings a node back after 2 good checks 1 s apart; nginx at once. */
const BALANCER_RISE_MS = 3000;

const FEEDS_OFF = ['--no-trends', '--no-metrics', '--no-stocks', '--no-notifications', '--no-activity'];

let redis: RedisServer;
const nodes: ServeProcess[] = [];
const clients: TrendStreamClient[] = [];
let balancer: LoadBalancer | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.close();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await balancer?.stop();
  balancer = undefined;
  await Promise.all(nodes.splice(0).map((node) => terminate(node.child)));
});

function startNode(port: number): Promise<ServeProcess> {
  return startServeProcess(process.execPath, [
    ...CLI_ARGS,
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--redis',
    redis.url,
    '--api-key',
    API_KEY,
    '--trust-proxy',
    'loopback',
    '--namespace',
    'rolling:history_size=1000',
    '--no-web',
    '--log-level',
    'warn',
    ...FEEDS_OFF,
  ]);
}

/** What one client saw. */
interface ClientRecord {
  received: number[];
  /** Per reconnect: the close code, the failed attempts before it got back, and how long it took. */
  reconnects: Array<{ code: number | undefined; attempts: number; ms: number }>;
  recovered: boolean[];
  nodes: string[];
  subscribed: boolean;
}

function watchClient(url: string, channel: string, index: number): ClientRecord {
  const record: ClientRecord = { received: [], reconnects: [], recovered: [], nodes: [], subscribed: false };
  const client = createClient(url, { name: `rolling-${index}` });
  clients.push(client);
  let lost: { at: number; code: number | undefined; attempts: number } | undefined;
  client.on('status', (event) => {
    if (event.state === 'reconnecting') {
      lost ??= { at: performance.now(), code: event.code, attempts: 0 };
      lost.attempts = event.attempt ?? 1;
    }
    if (event.state === 'connected' && lost) {
      record.reconnects.push({ code: lost.code, attempts: lost.attempts, ms: performance.now() - lost.at });
      lost = undefined;
    }
  });
  client.on('connection', (info) => record.nodes.push(info.node));
  client.subscribe(channel, {
    onSubscribed: (info) => {
      if (info.first) record.subscribed = true;
      else record.recovered.push(info.recovered);
    },
    onPublication: (publication) => record.received.push((publication.data as { n: number }).n),
  });
  return record;
}

/** POSTs `{n}` to the channel every 50 ms through the balancer; keeps what was acknowledged. */
function startPublisher(baseUrl: string, channel: string) {
  const acked: number[] = [];
  const failures: string[] = [];
  let n = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const next = (n += 1);
      const started = performance.now();
      try {
        const response = await fetch(`${baseUrl}/api/publish`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ channel, data: { n: next } }),
        });
        if (response.ok) acked.push(next);
        else failures.push(`${next}: HTTP ${response.status} ${await response.text()}`);
      } catch (error) {
        failures.push(`${next}: ${(error as Error).message}`);
      }
      await sleep(Math.max(0, PUBLISH_EVERY_MS - (performance.now() - started)));
    }
  })();
  return {
    acked,
    failures,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** The request lines of WebSocket upgrades in the balancer's log whose status is 5xx. */
function failedUpgrades(lb: LoadBalancer): string[] {
  return lb
    .log()
    .split('\n')
    .filter((line) => line.includes('GET /ws'))
    .filter((line) => (lb.name === 'nginx' ? /" 5\d\d /.test(line) : /\/-?\d+ 5\d\d /.test(line)));
}

const balancers = [
  { name: 'nginx', start: startNginx },
  { name: 'haproxy', start: startHaproxy },
] as const;

describe.each(balancers)('rolling restart behind $name (examples/ config as shipped)', ({ name, start }) => {
  it.skipIf(!findProgram(name))(
    'every client is back within 1 s of its close, recovered, with every publication once and in order',
    async () => {
      nodes.push(...(await Promise.all(NODE_PORTS.map((port) => startNode(port)))));
      const lb = (balancer = await start());
      const channel = `rolling:${name}`;
      const url = `ws://127.0.0.1:${lb.port}/ws`;
      const records = Array.from({ length: CLIENTS }, (_, i) => watchClient(url, channel, i));
      await waitFor('every client subscribed', () => records.every((r) => r.subscribed), 10_000);
      const publisher = startPublisher(`http://127.0.0.1:${lb.port}`, channel);
      await sleep(1000);

      for (const [index, port] of NODE_PORTS.entries()) {
        const node = nodes[index];
        if (!node) throw new Error('no node');
        expect(await terminate(node.child), `node ${port} exit code after SIGTERM`).toBe(0);
        nodes[index] = await startNode(port);
        await sleep(BALANCER_RISE_MS);
      }
      await sleep(1000);
      await publisher.stop();
      await waitFor(
        'every acknowledged publication delivered',
        () => records.every((r) => r.received.includes(publisher.acked.at(-1) ?? 0)),
        5000,
      );

      const times = records.flatMap((r) => r.reconnects.map((c) => Math.round(c.ms)));
      console.log(
        `[${name}] ${publisher.acked.length} publications, ${times.length} reconnects: ` +
          `${[...times].sort((a, b) => a - b).join(', ')} ms`,
      );
      expect(publisher.failures, 'publishes refused through the balancer').toEqual([]);
      expect(failedUpgrades(lb), '5xx WebSocket upgrades in the balancer log').toEqual([]);
      for (const [i, record] of records.entries()) {
        const label = `client ${i}`;
        expect(record.reconnects.length, `${label} reconnects`).toBeGreaterThanOrEqual(1);
        for (const reconnect of record.reconnects) {
          expect(reconnect, label).toMatchObject({ code: 1012, attempts: 1 });
          expect(reconnect.ms, `${label} back within 1 s`).toBeLessThan(1000);
        }
        expect(record.recovered, `${label} recovered`).toEqual(record.recovered.map(() => true));
        expect(record.recovered.length, `${label} resubscribes`).toBe(record.reconnects.length);
        const inOrder = record.received.every((n, k) => k === 0 || n > (record.received[k - 1] ?? 0));
        expect(inOrder, `${label} no duplicate, no reordering`).toBe(true);
        const missing = publisher.acked.filter((n) => !record.received.includes(n));
        expect(missing, `${label} missed acknowledged publications`).toEqual([]);
        expect(new Set(record.nodes).size, `${label} served by both nodes`).toBe(2);
      }
    },
    90_000,
  );
});
