/**
 * A counter the engine refuses to move (past ±Number.MAX_SAFE_INTEGER) is the publisher's fault:
 * the client gets `bad_request` with the engine's reason and the HTTP API a 400 — not "unavailable,
 * try again" — and the counter keeps its exact value.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BUILT_IN_TABLE } from '../../src/server/namespaces.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const CHANNEL = 'counter:edge';
let server: RunningServer;
let client: WsTestClient | undefined;

beforeEach(async () => {
  server = await startTestServer({ apiKey: 'counter-bounds-key' });
  // Set the counter one below the bound through the engine seam: the hub's app only moves it by 1.
  const options = BUILT_IN_TABLE.resolve(CHANNEL)!.options;
  await server.engine.broker.publish(CHANNEL, { delta: Number.MAX_SAFE_INTEGER - 1 }, options);
});

afterEach(async () => {
  client?.close();
  await server.close();
});

it('answers bad_request over WebSocket and 400 over HTTP once the counter is at its bound', async () => {
  client = await WsTestClient.connect(`${server.wsUrl}?name=edge`);
  const publish = (id: string) =>
    client!.request({ type: 'publish', id, channel: CHANNEL, data: { op: 'increment' } });
  expect(await publish('p1')).toMatchObject({ type: 'ack', seq: 2 });
  const refused = await publish('p2');
  expect(refused).toMatchObject({ type: 'error', id: 'p2', code: 'bad_request' });
  expect((refused as { message: string }).message).toMatch(/safe integer/);

  const response = await fetch(`${server.httpUrl}/api/publish`, {
    method: 'POST',
    headers: { authorization: 'Bearer counter-bounds-key', 'content-type': 'application/json' },
    body: JSON.stringify({ channel: CHANNEL, data: { op: 'increment' } }),
  });
  expect(response.status).toBe(400);

  const reply = await client.request({ type: 'subscribe', id: 's', channel: CHANNEL });
  expect(reply).toMatchObject({ type: 'subscribed', seq: 2, snapshot: { value: Number.MAX_SAFE_INTEGER } });
});
