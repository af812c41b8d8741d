/**
 * Webhooks against a real receiving HTTP server: the signature (checked here with our own HMAC),
 * the body, batching, the debounce of removals (a reload sends nothing, leaving sends one), members
 * counted per user, client publications only where a namespace opts in, retries that keep the
 * webhook id, timeouts, and a bounded queue whose drops show in /metrics.
 */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { WebhookEvent } from '../../src/engine/types.ts';
import { mintToken } from '../../src/server/identity.ts';
import { verifyWebhookSignature } from '../../src/server/webhooks/webhook-signature.ts';
import { startTestBackend, type BackendRequest, type TestBackend } from '../helpers/backend-server.ts';
import { scrapeMetric } from '../helpers/scrape-metric.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256';
const WEBHOOK_SECRET = 'whsec-for-tests';
const DEBOUNCE_MS = 300;

let backend: TestBackend;
let server: RunningServer | undefined;
const clients: WsTestClient[] = [];
let hookPaths = 0;

beforeAll(async () => {
  backend = await startTestBackend();
});
afterAll(async () => {
  await backend.stop();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

/** A server posting webhooks to a fresh path of the backend (answering 200 unless told otherwise). */
async function start(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<string> {
  hookPaths += 1;
  const path = `/hooks-${hookPaths}`;
  backend.on(path, () => ({ status: 200, text: '' }));
  server = await startTestServer({
    jwtSecret: JWT_SECRET,
    webhookUrl: backend.url(path),
    webhookSecret: WEBHOOK_SECRET,
    webhookDebounceMs: DEBOUNCE_MS,
    namespaces: {
      orders: { client_publish: true, publication_webhook: true },
      notes: { client_publish: true },
    },
    ...overrides,
  });
  return path;
}

let requests = 0;
async function connect(user: string): Promise<WsTestClient> {
  if (!server) throw new Error('no server');
  const token = await mintToken(JWT_SECRET, { sub: user });
  const client = await WsTestClient.connect(`${server.wsUrl}?token=${token}`);
  clients.push(client);
  return client;
}

async function subscribe(client: WsTestClient, channel: string): Promise<void> {
  requests += 1;
  const reply = await client.request({ type: 'subscribe', id: `s${requests}`, channel });
  if (reply.type !== 'subscribed') throw new Error(`subscribe failed: ${JSON.stringify(reply)}`);
}

async function publish(client: WsTestClient, channel: string, data: unknown): Promise<void> {
  requests += 1;
  const reply = await client.request({ type: 'publish', id: `p${requests}`, channel, data });
  if (reply.type !== 'ack') throw new Error(`publish failed: ${JSON.stringify(reply)}`);
}

async function disconnect(client: WsTestClient): Promise<void> {
  client.close();
  await client.closed;
}

interface Received {
  time_ms: number;
  events: WebhookEvent[];
}

/** Events of the POSTs to `path` (all of them unless `calls` is given), in arrival order, without their times. */
function delivered(path: string, calls: BackendRequest[] = backend.calls(path)) {
  return calls.flatMap((call) => (call.body as Received).events.map(({ time_ms: _time, ...rest }) => rest));
}

function metric(series: string): Promise<number> {
  return scrapeMetric(server?.httpUrl ?? '', series);
}

it('signs the raw body with HMAC-SHA256 of the secret, and a wrong secret does not verify', async () => {
  const path = await start();
  const ada = await connect('42');
  await subscribe(ada, 'chat:lobby');
  await waitFor('a webhook', () => delivered(path).length >= 2);
  const [call] = backend.calls(path);
  if (!call) throw new Error('no call');
  const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(call.raw).digest('hex')}`;
  const wrong = `sha256=${createHmac('sha256', 'not-the-secret').update(call.raw).digest('hex')}`;
  const signature = call.headers['x-trendstream-signature'];
  expect(signature).toBe(expected);
  expect(signature).not.toBe(wrong);
  expect(verifyWebhookSignature(call.raw, signature as string, WEBHOOK_SECRET)).toBe(true);
  expect(verifyWebhookSignature(call.raw, signature as string, 'not-the-secret')).toBe(false);
  expect(verifyWebhookSignature(`${call.raw} `, signature as string, WEBHOOK_SECRET)).toBe(false);
  expect(call.headers['x-trendstream-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(call.headers['content-type']).toBe('application/json');
  // Batched: both events of the subscribe in one POST, in order.
  const body = call.body as Received;
  expect(body.time_ms).toBeGreaterThan(Date.now() - 10_000);
  expect(body.events).toEqual([
    { name: 'channel_occupied', channel: 'chat:lobby', time_ms: expect.any(Number) as unknown },
    { name: 'member_added', channel: 'chat:lobby', user: '42', time_ms: expect.any(Number) as unknown },
  ]);
});

it('counts members per user, and debounces removals: a reload sends nothing, leaving sends one', async () => {
  const path = await start();
  const tab1 = await connect('ada');
  const tab2 = await connect('ada');
  await subscribe(tab1, 'chat:room');
  await subscribe(tab2, 'chat:room');
  const bob = await connect('bob');
  await subscribe(bob, 'chat:room');
  await waitFor('three events', () => delivered(path).length >= 3);
  // A second tab closes: ada is still there. Bob reloads: back within the debounce.
  await disconnect(tab2);
  await disconnect(bob);
  const bobAgain = await connect('bob');
  await subscribe(bobAgain, 'chat:room');
  await sleep(DEBOUNCE_MS + 300);
  expect(delivered(path)).toEqual([
    { name: 'channel_occupied', channel: 'chat:room' },
    { name: 'member_added', channel: 'chat:room', user: 'ada' },
    { name: 'member_added', channel: 'chat:room', user: 'bob' },
  ]);
  // Everybody leaves for good: one removal each, then the channel, after the debounce.
  const leftAt = Date.now();
  await disconnect(tab1);
  await disconnect(bobAgain);
  await sleep(DEBOUNCE_MS / 2);
  expect(delivered(path)).toHaveLength(3);
  await waitFor('the removals', () => delivered(path).length >= 6);
  expect(Date.now() - leftAt).toBeGreaterThanOrEqual(DEBOUNCE_MS);
  await sleep(DEBOUNCE_MS + 200);
  const removals = delivered(path).slice(3);
  expect(removals).toHaveLength(3);
  expect(removals.slice(0, 2)).toEqual(
    expect.arrayContaining([
      { name: 'member_removed', channel: 'chat:room', user: 'ada' },
      { name: 'member_removed', channel: 'chat:room', user: 'bob' },
    ]),
  );
  expect(removals[2]).toEqual({ name: 'channel_vacated', channel: 'chat:room' });
});

it('sends client publications only of namespaces that opt in', async () => {
  const path = await start();
  const ada = await connect('ada');
  await publish(ada, 'notes', { text: 'not announced' });
  await publish(ada, 'orders', { item: 'tea', qty: 2 });
  await publish(ada, 'chat:room', { text: 'chat has no publication webhook' });
  await waitFor('the publication event', () => delivered(path).length >= 1);
  await sleep(300);
  const events = delivered(path);
  expect(events).toEqual([
    {
      name: 'client_publication',
      channel: 'orders',
      client: expect.any(String) as unknown,
      user: 'ada',
      data: { item: 'tea', qty: 2 },
      epoch: expect.any(String) as unknown,
      seq: 1,
    },
  ]);
});

it('retries a refused batch after a 500 with the same webhook id and body, then stops', async () => {
  const path = await start();
  let answered = 0;
  backend.on(path, () => {
    answered += 1;
    return answered === 1 ? { status: 500, text: 'boom' } : { status: 204, text: '' };
  });
  const ada = await connect('ada');
  await publish(ada, 'orders', { n: 1 });
  await waitFor('the retry', () => backend.calls(path).length >= 2);
  await sleep(500);
  const [first, second, ...more] = backend.calls(path);
  expect(more).toHaveLength(0);
  expect(second?.headers['x-trendstream-webhook-id']).toBe(first?.headers['x-trendstream-webhook-id']);
  expect(second?.raw).toBe(first?.raw);
  expect(second?.headers['x-trendstream-signature']).toBe(first?.headers['x-trendstream-signature']);
  expect(await metric('trendstream_webhook_failed_total{reason="status"}')).toBe(1);
  expect(await metric('trendstream_webhook_sent_total')).toBe(1);
  // The next batch gets a new id.
  await publish(ada, 'orders', { n: 2 });
  await waitFor('the next batch', () => backend.calls(path).length >= 3);
  expect(backend.calls(path)[2]?.headers['x-trendstream-webhook-id']).not.toBe(
    first?.headers['x-trendstream-webhook-id'],
  );
});

it('counts a receiver slower than the timeout as failed and retries', async () => {
  const path = await start({ proxyTimeoutMs: 200 });
  let answered = 0;
  backend.on(path, () => {
    answered += 1;
    return answered === 1 ? { delayMs: 600, status: 200, text: '' } : { status: 200, text: '' };
  });
  const ada = await connect('ada');
  await publish(ada, 'orders', { n: 1 });
  await waitFor('the retry', () => backend.calls(path).length >= 2);
  const [first, second] = backend.calls(path);
  expect(second?.headers['x-trendstream-webhook-id']).toBe(first?.headers['x-trendstream-webhook-id']);
  expect(await metric('trendstream_webhook_failed_total{reason="timeout"}')).toBe(1);
});

it('bounds the queue while the receiver refuses: drops the oldest and counts them in /metrics', async () => {
  const path = await start({ webhookMaxQueue: 3 });
  let accept = false;
  backend.on(path, () => (accept ? { status: 200, text: '' } : { status: 503, text: 'down' }));
  const ada = await connect('ada');
  await publish(ada, 'orders', { n: 1 });
  await waitFor('the first (refused) batch', () => backend.calls(path).length >= 1);
  for (let n = 2; n <= 11; n += 1) await publish(ada, 'orders', { n });
  expect(await metric('trendstream_webhook_dropped_total{reason="queue_full"}')).toBe(7);
  accept = true;
  await waitFor('the newest event', () => delivered(path).some((e) => (e.data as { n: number }).n === 11));
  // Distinct batches as the receiver saw them (a refused batch is sent again under its id).
  const byId = new Map<string, BackendRequest>();
  for (const call of backend.calls(path)) byId.set(String(call.headers['x-trendstream-webhook-id']), call);
  const kept = delivered(path, [...byId.values()]).map((e) => (e.data as { n: number }).n);
  expect(kept).toEqual([1, 9, 10, 11]);
  expect(await metric('trendstream_webhook_sent_total')).toBe(4);
});
