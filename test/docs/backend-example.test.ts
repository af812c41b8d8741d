/**
 * The example backend of docs/backend.md (examples/backend/server.mjs), run as its own process in
 * front of a real hub: session-cookie login through the connect proxy, chat moderated by the publish
 * proxy, webhooks whose signatures it verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/protocol/codes.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const WEBHOOK_SECRET = 'example-webhook-secret';
let example: ChildProcess;
let backendUrl: string;
let hub: RunningServer;
const clients: WsTestClient[] = [];

async function startExample(): Promise<string> {
  example = spawn(process.execPath, ['examples/backend/server.mjs'], {
    env: { ...process.env, PORT: '0', WEBHOOK_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: example.stdout! })) {
    const match = /backend listening on (\S+)/.exec(line);
    if (match) return match[1];
  }
  throw new Error('the example backend exited before listening');
}

beforeAll(async () => {
  backendUrl = await startExample();
  hub = await startTestServer({
    connectProxyUrl: `${backendUrl}/trendstream/connect`,
    publishProxyUrl: `${backendUrl}/trendstream/publish`,
    allowedOrigins: [backendUrl],
    namespaces: { chat: { publish_proxy: true } },
    webhookUrl: `${backendUrl}/trendstream/webhooks`,
    webhookSecret: WEBHOOK_SECRET,
    webhookDebounceMs: 300,
  });
}, 20_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await hub?.close();
  example?.kill();
});

async function login(username: string, password: string): Promise<string> {
  const response = await fetch(`${backendUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

function open(cookie?: string): WsTestClient {
  const headers: Record<string, string> = { origin: backendUrl };
  if (cookie) headers.cookie = cookie;
  const client = WsTestClient.open(hub.wsUrl, { headers });
  clients.push(client);
  return client;
}

async function webhookEvents(): Promise<{ name: string; channel: string; user?: string }[]> {
  const body = (await (await fetch(`${backendUrl}/events`)).json()) as {
    events: { name: string; channel: string; user?: string }[];
  };
  return body.events;
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the example backend of docs/backend.md', () => {
  it('refuses a connection without a session', async () => {
    const client = open();
    expect(await client.closed).toBe(CloseCode.Unauthorized);
    expect(client.closeReason).toBe('not logged in');
  });

  it('lets a logged-in user in by cookie, with their notifications subscribed server-side', async () => {
    const client = open(await login('ada', 'lovelace'));
    const hello = await client.next('connection');
    expect(hello.user).toMatchObject({ user: '1', name: 'Ada' });
    const subscribed = await client.next('subscribed');
    expect(subscribed).toMatchObject({ channel: 'notifications#1', server_side: true });
  });

  it('moderates chat before the hub stores it, and reports members through signed webhooks', async () => {
    const client = open(await login('alan', 'turing'));
    await client.next('connection');
    await client.request({ type: 'subscribe', id: 's', channel: 'chat:example' });
    await client.request({
      type: 'publish',
      id: 'p',
      channel: 'chat:example',
      data: { text: 'darn, it works' },
    });
    const publication = await client.nextPublication((p) => p.channel === 'chat:example');
    expect(publication.data).toMatchObject({ text: '****, it works' });
    expect(publication.from).toMatchObject({ user: '2', name: 'Alan' });

    const joined = await until(webhookEvents, (events) =>
      events.some((e) => e.name === 'member_added' && e.channel === 'chat:example'),
    );
    expect(joined).toContainEqual(
      expect.objectContaining({ name: 'channel_occupied', channel: 'chat:example' }),
    );
    expect(joined).toContainEqual(
      expect.objectContaining({ name: 'member_added', channel: 'chat:example', user: '2' }),
    );

    client.close();
    const left = await until(webhookEvents, (events) =>
      events.some((e) => e.name === 'channel_vacated' && e.channel === 'chat:example'),
    );
    const about = left.filter((e) => e.channel === 'chat:example').map((e) => e.name);
    expect(about).toEqual(['channel_occupied', 'member_added', 'member_removed', 'channel_vacated']);
  });
});
