/**
 * The `namespaces` setting: bad config stops the start with a message naming the key; the
 * application's own namespace works on a real server as declared; a built-in can be switched off or
 * overridden without losing its rules; `GET /api/channels` spells the settings as the config does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/server/config.ts';
import {
  buildNamespaceTable,
  NamespaceConfigError,
  type NamespacesConfig,
} from '../../src/server/namespace-config.ts';
import { BUILT_IN_NAMESPACES } from '../../src/server/namespaces.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

let server: RunningServer | undefined;
const clients: WsTestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function connect(name: string): Promise<WsTestClient> {
  if (server === undefined) throw new Error('no server');
  const client = await WsTestClient.connect(`${server.wsUrl}?name=${name}`);
  clients.push(client);
  return client;
}

interface NamespaceEntry {
  name: string;
  [key: string]: unknown;
}

async function namespacesOf(running: RunningServer): Promise<NamespaceEntry[]> {
  const response = await fetch(`${running.httpUrl}/api/channels`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { namespaces: NamespaceEntry[] }).namespaces;
}

/** Casts test input that is wrong on purpose (the type would not allow it). */
function bad(value: unknown): NamespacesConfig {
  return value as NamespacesConfig;
}

describe('bad namespace config names the key', () => {
  it.each([
    [
      { orders: { histroy_size: 10 } },
      'namespaces.orders.histroy_size: unknown setting (known: history_size, history_ttl_ms, client_publish',
    ],
    [
      { orders: { history_size: '100' } },
      'namespaces.orders.history_size must be an integer from 0 to 100000, got "100"',
    ],
    [
      { orders: { history_size: 100_001 } },
      'namespaces.orders.history_size must be an integer from 0 to 100000',
    ],
    [{ orders: { presence: 'yes' } }, 'namespaces.orders.presence must be true or false, got "yes"'],
    [
      { orders: { snapshot: 'counter' } },
      'namespaces.orders.snapshot must be "none" or "latest", got "counter"',
    ],
    [{ orders: 7 }, 'namespaces.orders must be an object of settings, or false, got 7'],
    [{ 'orders:1': {} }, 'namespaces: "orders:1" is not a namespace name'],
    [[], 'namespaces must be an object of namespace name → settings or false, got []'],
    [
      { orders: { join_leave: true } },
      'namespaces.orders.join_leave: join/leave events need "presence": true',
    ],
    // chat has presence; switching it off leaves join_leave (inherited from the built-in) without it.
    [{ chat: { presence: false } }, 'namespaces.chat.join_leave: join/leave events need "presence": true'],
    [{ orders: false }, 'namespaces.orders: false switches off a built-in namespace, and orders is not one'],
    [
      { counter: { snapshot: 'latest' } },
      'namespaces.counter.snapshot: the built-in counter namespace keeps its counter state',
    ],
    [
      { board: { snapshot: 'none' } },
      'namespaces.board.snapshot: the built-in board namespace keeps its board',
    ],
    [
      { orders: { publish_proxy: true } },
      'namespaces.orders.publish_proxy: clients cannot publish here; set "client_publish": true',
    ],
    [
      { orders: { history_ttl_ms: 0 } },
      'namespaces.orders.history_ttl_ms must be above 0 when history_size is',
    ],
  ])('%j', (config, message) => {
    const build = (): unknown => buildNamespaceTable(bad(config));
    expect(build).toThrow(NamespaceConfigError);
    expect(build).toThrow(message);
    // The same check stops resolveConfig, so startServer refuses to start.
    expect(() => resolveConfig({ namespaces: bad(config) })).toThrow(message);
  });

  it('gives the parts of the message to callers that name the source their own way', () => {
    let caught: unknown;
    try {
      buildNamespaceTable({ orders: { join_leave: true } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NamespaceConfigError);
    expect(caught).toMatchObject({
      namespace: 'orders',
      key: 'join_leave',
      problem: 'join/leave events need "presence": true',
    });
  });

  it('refuses to start a server', async () => {
    await expect(startTestServer({ namespaces: bad({ orders: { history_size: -1 } }) })).rejects.toThrow(
      'namespaces.orders.history_size must be an integer from 0 to 100000, got -1',
    );
  });
});

describe('the table built from config', () => {
  it('adds a namespace with the defaults for what it leaves unset, and keeps the built-ins', () => {
    const table = buildNamespaceTable({ orders: { history_size: 7, client_publish: true } });
    expect(table.get('orders')).toMatchObject({
      historySize: 7,
      historyTtlMs: 10 * 60_000,
      clientPublish: 'free',
      presence: false,
      state: 'none',
    });
    expect(table.get('chat')).toEqual(BUILT_IN_NAMESPACES.chat);
    expect(table.resolve('orders:1')?.namespace).toBe('orders');
  });
});

describe('a namespace from config, on a real server', () => {
  it('lets clients subscribe and publish, and keeps history_size publications', async () => {
    server = await startTestServer({
      namespaces: { orders: { history_size: 3, client_publish: true, presence: true, join_leave: true } },
    });
    const reader = await connect('reader');
    const writer = await connect('writer');
    expect(await reader.request({ type: 'subscribe', id: 's', channel: 'orders:1' })).toMatchObject({
      type: 'subscribed',
      channel: 'orders:1',
      seq: 0,
    });
    for (let n = 1; n <= 5; n += 1) {
      const ack = await writer.request({ type: 'publish', id: `p${n}`, channel: 'orders:1', data: { n } });
      expect(ack).toMatchObject({ type: 'ack', channel: 'orders:1', seq: n });
    }
    await reader.nextPublication((p) => p.channel === 'orders:1' && p.seq === 5);
    expect(reader.publications('orders:1').map((p) => p.data)).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
    expect(reader.publications('orders:1')[0].from?.name).toBe('writer');

    const history = await writer.request({ type: 'history', id: 'h', channel: 'orders:1' });
    expect(history).toMatchObject({ type: 'history', seq: 5 });
    const kept = history.type === 'history' ? history.publications.map((p) => p.seq) : [];
    expect(kept).toEqual([3, 4, 5]);

    // presence and join_leave as declared
    await writer.request({ type: 'subscribe', id: 's', channel: 'orders:1' });
    const join = await reader.next((f) => f.type === 'join' && f.client.name === 'writer');
    expect(join).toMatchObject({ channel: 'orders:1' });
  });

  it('keeps publishing to the server where client_publish is not set', async () => {
    server = await startTestServer({ namespaces: { audit: { history_size: 10 } } });
    const client = await connect('c');
    expect(await client.request({ type: 'subscribe', id: 's', channel: 'audit' })).toMatchObject({
      type: 'subscribed',
    });
    expect(await client.request({ type: 'publish', id: 'p', channel: 'audit', data: {} })).toMatchObject({
      type: 'error',
      code: 'forbidden',
    });
  });
});

describe('built-in namespaces in config', () => {
  it('switched off (stocks: false): subscribe answers not_found, /api/channels no longer lists it', async () => {
    server = await startTestServer({ namespaces: { stocks: false } });
    const client = await connect('c');
    expect(await client.request({ type: 'subscribe', id: 's', channel: 'stocks' })).toMatchObject({
      type: 'error',
      id: 's',
      code: 'not_found',
    });
    // The others stay.
    expect(await client.request({ type: 'subscribe', id: 't', channel: 'trends' })).toMatchObject({
      type: 'subscribed',
    });
    const names = (await namespacesOf(server)).map((n) => n.name);
    expect(names).not.toContain('stocks');
    expect(names).toEqual(expect.arrayContaining(['trends', 'chat', 'counter', 'board', 'echo']));
  });

  it('overridden (chat: {history_size: 5}): keeps the chat rules, history holds 5', async () => {
    server = await startTestServer({ namespaces: { chat: { history_size: 5 } } });
    const chat = (await namespacesOf(server)).find((n) => n.name === 'chat');
    expect(chat).toMatchObject({
      history_size: 5,
      history_ttl_ms: BUILT_IN_NAMESPACES.chat.historyTtlMs,
      client_publish: true,
      presence: true,
      join_leave: true,
      ephemeral: true,
    });
    const ada = await connect('Ada');
    // Still needs a room, still only {text}.
    expect(await ada.request({ type: 'subscribe', id: 'bare', channel: 'chat' })).toMatchObject({
      type: 'error',
      code: 'not_found',
    });
    expect(
      await ada.request({ type: 'publish', id: 'bad', channel: 'chat:room', data: { html: '<b>' } }),
    ).toMatchObject({ type: 'error', code: 'bad_request' });
    for (let n = 1; n <= 7; n += 1) {
      const ack = await ada.request({
        type: 'publish',
        id: `p${n}`,
        channel: 'chat:room',
        data: { text: ` m${n} ` },
      });
      expect(ack).toMatchObject({ type: 'ack', seq: n });
    }
    const history = await ada.request({ type: 'history', id: 'h', channel: 'chat:room' });
    const texts = history.type === 'history' ? history.publications.map((p) => p.data) : [];
    // The chat app trimmed the text: its rules ran.
    expect(texts).toEqual([3, 4, 5, 6, 7].map((n) => ({ text: `m${n}` })));
  });
});

describe('GET /api/channels', () => {
  it('spells the pinned keys, with the values the config gave', async () => {
    server = await startTestServer({
      // Proxies are never called here (nobody subscribes to orders); the URLs only make the setup complete.
      subscribeProxyUrl: 'http://127.0.0.1:9/subscribe',
      publishProxyUrl: 'http://127.0.0.1:9/publish',
      namespaces: {
        orders: {
          history_size: 100,
          history_ttl_ms: 600000,
          client_publish: true,
          presence: true,
          join_leave: true,
          subscribe_proxy: true,
          publish_proxy: true,
        },
      },
    });
    const namespaces = await namespacesOf(server);
    expect(namespaces.find((n) => n.name === 'orders')).toMatchObject({
      history_size: 100,
      history_ttl_ms: 600000,
      client_publish: true,
      presence: true,
      join_leave: true,
      subscribe_proxy: true,
      publish_proxy: true,
    });
    for (const entry of namespaces) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining([
          'name',
          'history_size',
          'history_ttl_ms',
          'client_publish',
          'presence',
          'join_leave',
          'subscribe_proxy',
          'publish_proxy',
        ]),
      );
    }
    expect(namespaces.find((n) => n.name === 'stocks')).toMatchObject({
      client_publish: false,
      subscribe_proxy: false,
      publish_proxy: false,
    });
  });
});
