/** Presence lists, join/leave events and the pushed client count. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

let server: RunningServer;
const clients: WsTestClient[] = [];

async function connect(name: string): Promise<WsTestClient> {
  const client = await WsTestClient.connect(`${server.wsUrl}?name=${name}`);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  server = await startTestServer({ clientCountIntervalMs: 20 });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

it('lists who is in a channel and announces joins and leaves', async () => {
  const ada = await connect('Ada');
  await ada.request({ type: 'subscribe', id: 's', channel: 'chat:lobby' });
  const bob = await connect('Bob');
  await bob.request({ type: 'subscribe', id: 's', channel: 'chat:lobby' });
  const join = await ada.next((f) => f.type === 'join' && f.client.name === 'Bob');
  expect(join).toMatchObject({ channel: 'chat:lobby' });
  const presence = await ada.request({ type: 'presence', id: 'p', channel: 'chat:lobby' });
  expect(presence).toMatchObject({ type: 'presence', count: 2 });
  const names = (presence as { clients: { name: string }[] }).clients.map((c) => c.name).sort();
  expect(names).toEqual(['Ada', 'Bob']);
  bob.close();
  const leave = await ada.next((f) => f.type === 'leave');
  expect(leave).toMatchObject({ channel: 'chat:lobby', client: { name: 'Bob' } });
  const after: unknown = await (await fetch(`${server.httpUrl}/api/presence?channel=chat:lobby`)).json();
  expect(after).toMatchObject({ count: 1, clients: [{ name: 'Ada' }] });
});

it('pushes client_count to everyone when it changes', async () => {
  const ada = await connect('Ada');
  await connect('Bob');
  await ada.next((f) => f.type === 'client_count' && f.count === 2);
  const carol = await connect('Carol');
  await ada.next((f) => f.type === 'client_count' && f.count === 3);
  carol.close();
  await ada.next((f) => f.type === 'client_count' && f.count === 2);
});

it('stamps chat messages with the sender so nobody can post as someone else', async () => {
  const ada = await connect('Ada');
  await ada.request({ type: 'subscribe', id: 's', channel: 'chat:lobby' });
  const mallory = await connect('Mallory');
  await mallory.request({
    type: 'publish',
    id: 'p',
    channel: 'chat:lobby',
    data: { text: '<img src=x onerror=alert(1)>', user: 'Ada', from: { name: 'Ada' } },
  });
  const message = await ada.next('publication');
  expect(message.from?.name).toBe('Mallory');
  expect(message.data).toEqual({ text: '<img src=x onerror=alert(1)>' });
});

it('relays ephemeral typing signals to subscribers without storing them', async () => {
  const ada = await connect('Ada');
  const bob = await connect('Bob');
  await ada.request({ type: 'subscribe', id: 's', channel: 'chat:room' });
  await bob.request({ type: 'subscribe', id: 's', channel: 'chat:room' });
  expect(
    await bob.request({ type: 'ephemeral', id: 'e', channel: 'chat:room', data: { typing: true } }),
  ).toMatchObject({
    type: 'ack',
  });
  const typing = await ada.next('ephemeral');
  expect(typing).toMatchObject({ channel: 'chat:room', data: { typing: true }, from: { name: 'Bob' } });
  const history = await ada.request({ type: 'history', id: 'h', channel: 'chat:room' });
  expect(history).toMatchObject({ publications: [] });
});
