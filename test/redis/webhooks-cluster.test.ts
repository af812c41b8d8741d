/**
 * Webhooks from several nodes on one real redis-server, received by one real HTTP server: each
 * event is decided and sent once (by the node leading `webhooks`), in order per channel, also for
 * publications made on both nodes at once; members count per user across nodes; a move between
 * nodes within the debounce sends nothing; a new
 * leader resends an unacknowledged batch under its id; and a node cut off from Redis has its
 * members removed once its lease expires (debounced), and announced again when it comes back.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { WebhookEvent } from '../../src/engine/types.ts';
import { mintToken } from '../../src/server/identity.ts';
import type { StartOptions } from '../../src/server/start-server.ts';
import { startTestBackend, type BackendRequest, type TestBackend } from '../helpers/backend-server.ts';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { scrapeMetric } from '../helpers/scrape-metric.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';
import { closeCluster, startNode, type ClusterNode } from './cluster-helpers.ts';

const DEBOUNCE_MS = 300;
/** Waits here span two nodes and Redis: a second more than the helpers' default. */
const ACROSS_NODES_MS = 6000;
const JWT_SECRET = 'cluster-jwt-secret-long-enough-for-hs256';

let redis: RedisServer;
let backend: TestBackend;
let nodes: ClusterNode[] = [];
let proxy: TcpProxy | undefined;
const clients: WsTestClient[] = [];
let runs = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  backend = await startTestBackend();
});
afterAll(async () => {
  await backend.stop();
  await redis.close();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await closeCluster(nodes);
  await proxy?.close();
  proxy = undefined;
});

/** Two nodes sharing a key prefix, posting to a fresh backend path; the first may reach Redis via `firstUrl`. */
async function startTwo(firstUrl = redis.url): Promise<{ path: string; prefix: string }> {
  runs += 1;
  const path = `/cluster-hooks-${runs}`;
  const prefix = `wh${runs}${Math.random().toString(36).slice(2, 6)}:`;
  backend.on(path, () => ({ status: 200, text: '' }));
  const server: StartOptions = {
    jwtSecret: JWT_SECRET,
    webhookUrl: backend.url(path),
    webhookSecret: 'cluster-secret',
    webhookDebounceMs: DEBOUNCE_MS,
    namespaces: { orders: { client_publish: true, publication_webhook: true } },
  };
  nodes = [await startNode(firstUrl, prefix, server), await startNode(redis.url, prefix, server)];
  return { path, prefix };
}

let requests = 0;
async function join(node: ClusterNode, user: string, channel: string): Promise<WsTestClient> {
  const token = await mintToken(JWT_SECRET, { sub: user });
  const client = await WsTestClient.connect(`${node.server.wsUrl}?token=${token}`);
  clients.push(client);
  requests += 1;
  const reply = await client.request({ type: 'subscribe', id: `s${requests}`, channel });
  if (reply.type !== 'subscribed') throw new Error(`subscribe failed: ${JSON.stringify(reply)}`);
  return client;
}

async function publish(client: WsTestClient, channel: string, data: unknown): Promise<void> {
  requests += 1;
  const reply = await client.request({ type: 'publish', id: `p${requests}`, channel, data });
  if (reply.type !== 'ack') throw new Error(`publish failed: ${JSON.stringify(reply)}`);
}

async function leave(client: WsTestClient): Promise<void> {
  client.close();
  await client.closed;
}

/** Events of every distinct batch the backend got on `path` (a resent batch counted once). */
function received(path: string): Omit<WebhookEvent, 'time_ms'>[] {
  const batches = new Map<string, BackendRequest>();
  for (const call of backend.calls(path)) {
    const id = String(call.headers['x-trendstream-webhook-id']);
    if (!batches.has(id)) batches.set(id, call);
  }
  return [...batches.values()].flatMap((call) =>
    (call.body as { events: WebhookEvent[] }).events.map(({ time_ms: _time, ...rest }) => rest),
  );
}

/** Member and channel events as `name channel [user]`. */
function roster(path: string): string[] {
  return received(path)
    .filter((e) => e.name !== 'client_publication')
    .map((e) => `${e.name} ${e.channel}${e.user === undefined ? '' : ` ${e.user}`}`);
}

function sentBy(node: ClusterNode): Promise<number> {
  return scrapeMetric(node.server.httpUrl, 'trendstream_webhook_sent_total');
}

it('sends each event once from one node, in order per channel, counting members per user cluster-wide', async () => {
  const { path } = await startTwo();
  const [a, b] = nodes as [ClusterNode, ClusterNode];
  const adaOnA = await join(a, 'ada', 'chat:x');
  const adaOnB = await join(b, 'ada', 'chat:x'); // a second tab, on the other node
  const bobOnB = await join(b, 'bob', 'chat:x');
  const cyOnA = await join(a, 'cy', 'orders');
  const dotOnB = await join(b, 'dot', 'orders');
  // Publications from both nodes, interleaved.
  for (let n = 1; n <= 20; n += 1) await publish(n % 2 === 0 ? cyOnA : dotOnB, 'orders', { n });
  await waitFor(
    'every publication',
    () => received(path).filter((e) => e.name === 'client_publication').length >= 20,
    ACROSS_NODES_MS,
  );
  // Bob moves from B to A within the debounce (a reconnect to another node), and ada closes one of
  // her two tabs: nothing is sent.
  await leave(bobOnB);
  const bobOnA = await join(a, 'bob', 'chat:x');
  await leave(adaOnB);
  await sleep(DEBOUNCE_MS + 300);
  expect(roster(path)).toEqual([
    'channel_occupied chat:x',
    'member_added chat:x ada',
    'member_added chat:x bob',
    'channel_occupied orders',
  ]);
  const publications = received(path).filter((e) => e.name === 'client_publication');
  expect(publications.map((e) => (e.data as { n: number }).n)).toEqual(
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  expect(publications.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  // Everyone leaves, from both nodes: one removal each, one vacancy per channel.
  for (const client of [adaOnA, bobOnA, cyOnA, dotOnB]) await leave(client);
  await waitFor(
    'the vacancies',
    () => roster(path).filter((e) => e.startsWith('channel_vacated')).length >= 2,
    ACROSS_NODES_MS,
  );
  await sleep(DEBOUNCE_MS + 200);
  const departures = roster(path).slice(4);
  expect([...departures].sort()).toEqual([
    'channel_vacated chat:x',
    'channel_vacated orders',
    'member_removed chat:x ada',
    'member_removed chat:x bob',
  ]);
  // In order per channel: chat:x's members go before chat:x itself.
  expect(departures.indexOf('channel_vacated chat:x')).toBeGreaterThan(
    Math.max(
      departures.indexOf('member_removed chat:x ada'),
      departures.indexOf('member_removed chat:x bob'),
    ),
  );
  // No batch twice, and one node sent them all.
  const ids = backend.calls(path).map((c) => c.headers['x-trendstream-webhook-id']);
  expect(new Set(ids).size).toBe(ids.length);
  const total = received(path).length;
  expect([await sentBy(a), await sentBy(b)].sort((x, y) => x - y)).toEqual([0, total]);
});

it('sends the publications of one channel in seq order while clients on both nodes publish at once', async () => {
  const { path } = await startTwo();
  const [a, b] = nodes as [ClusterNode, ClusterNode];
  const onA = await join(a, 'cy', 'orders');
  const onB = await join(b, 'dot', 'orders');
  const acks = (client: WsTestClient) =>
    Array.from({ length: 200 }, (_, n) => {
      requests += 1;
      return client.request({ type: 'publish', id: `burst${requests}`, channel: 'orders', data: { n } });
    });
  const replies = await Promise.all([...acks(onA), ...acks(onB)]);
  expect(replies.every((r) => r.type === 'ack')).toBe(true);
  const seqs = () =>
    received(path)
      .filter((e) => e.name === 'client_publication')
      .map((e) => e.seq);
  await waitFor('every publication', () => seqs().length >= 400, ACROSS_NODES_MS);
  expect(seqs()).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
});

it('a new leader resends the batch the old one could not deliver, under the same id', async () => {
  const { path, prefix } = await startTwo();
  let accept = false;
  backend.on(path, () => (accept ? { status: 200, text: '' } : { status: 500, text: 'down' }));
  const [a] = nodes as [ClusterNode, ClusterNode];
  const cy = await join(a, 'cy', 'orders');
  await publish(cy, 'orders', { n: 1 });
  await waitFor('a refused attempt', () => backend.calls(path).length >= 1, ACROSS_NODES_MS);
  const first = backend.calls(path)[0];
  const reader = new Redis(redis.url);
  const token = await reader.get(`${prefix}leader:webhooks`);
  reader.disconnect();
  const leaderIndex = nodes.findIndex((n) => token?.startsWith(`${n.engine.nodeId}:`));
  expect(leaderIndex).toBeGreaterThanOrEqual(0);
  const [leader] = nodes.splice(leaderIndex, 1) as [ClusterNode];
  await leader.server.close();
  await leader.engine.close();
  const callsBefore = backend.calls(path).length;
  accept = true;
  await waitFor(
    'the survivor to deliver',
    () =>
      backend
        .calls(path)
        .slice(callsBefore)
        .some((c) => c.body !== undefined),
    ACROSS_NODES_MS,
  );
  const resent = backend.calls(path).slice(callsBefore)[0];
  expect(resent?.headers['x-trendstream-webhook-id']).toBe(first?.headers['x-trendstream-webhook-id']);
  expect(resent?.raw).toBe(first?.raw);
});

it('removes the members of a node cut off from Redis once, and announces them again when it is back', async () => {
  proxy = await startTcpProxy({ targetPort: redis.port });
  const { path } = await startTwo(`redis://127.0.0.1:${proxy.port}`);
  const [a, b] = nodes as [ClusterNode, ClusterNode];
  await join(a, 'ada', 'chat:y');
  await join(b, 'bob', 'chat:y');
  await waitFor('both members', () => roster(path).length >= 3, ACROSS_NODES_MS);
  proxy.refuseNew(true);
  proxy.dropAll();
  // The lease (presenceTtlMs 1000 in these nodes) expires, the sweep ends ada's subscription, and the
  // removal goes out after the debounce; bob keeps the channel occupied.
  await waitFor('ada removed', () => roster(path).includes('member_removed chat:y ada'), 8000);
  proxy.refuseNew(false);
  await waitFor('ada announced again', () => roster(path).length >= 5, 8000);
  await sleep(300);
  expect(roster(path)).toEqual([
    'channel_occupied chat:y',
    'member_added chat:y ada',
    'member_added chat:y bob',
    'member_removed chat:y ada',
    'member_added chat:y ada',
  ]);
});
