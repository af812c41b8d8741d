/**
 * The SDK against a real hub: connect, subscribe, publish with acks, fan-out, presence, ephemeral
 * messages, history, ping, refusals, and the status events of a plain connect and disconnect.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PublicationFrame, SubscribedInfo } from '../../src/client/types.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { ClientPool, waitFor } from './sdk-test-kit.ts';

let server: RunningServer;
const pool = new ClientPool();

beforeAll(async () => {
  server = await startTestServer({ clientCountIntervalMs: 20 });
});
afterEach(() => {
  pool.closeAll();
});
afterAll(async () => {
  await server.close();
});

describe('client basics', () => {
  it('reports connecting then connected, learns its client id, and disconnects for good', async () => {
    const { client, statuses } = pool.create(server.wsUrl, { name: 'ada' });
    const connection = new Promise<{ clientId: string; name: string }>((resolve) => {
      client.on('connection', (event) => resolve({ clientId: event.clientId, name: event.user.name }));
    });
    expect(client.state).toBe('disconnected');
    const { clientId, name } = await connection;
    expect(name).toBe('ada');
    expect(client.clientId).toBe(clientId);
    expect(statuses.map((s) => `${s.previous}>${s.state}`)).toEqual([
      'disconnected>connecting',
      'connecting>connected',
    ]);
    client.disconnect();
    expect(client.state).toBe('disconnected');
    expect(statuses.at(-1)).toMatchObject({ state: 'disconnected', previous: 'connected', code: 1000 });
    await expect(client.ping()).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('subscribes to echo, publishes with an ack, and receives its own publication', async () => {
    const { client } = await pool.connected(server.wsUrl);
    const received: PublicationFrame[] = [];
    const subscribed: SubscribedInfo[] = [];
    const subscription = client.subscribe('echo', {
      onPublication: (p) => received.push(p),
      onSubscribed: (info) => subscribed.push(info),
    });
    await waitFor(() => subscribed.length === 1, 'the subscribed reply');
    expect(subscribed[0]).toMatchObject({ channel: 'echo', first: true, latest: false });
    const ack = await subscription.publish({ hello: 'world' });
    expect(ack.channel).toBe('echo');
    expect(ack.seq).toBe(subscribed[0].seq + 1);
    await waitFor(() => received.length === 1, 'the publication');
    expect(received[0]).toMatchObject({
      channel: 'echo',
      seq: ack.seq,
      epoch: ack.epoch,
      data: { hello: 'world' },
    });
    expect(received[0]?.from?.id).toBe(client.clientId);
    expect(subscription.position).toEqual({ epoch: ack.epoch, seq: ack.seq });
  });

  it('fans a publication out to every subscribed client, once each', async () => {
    const subscribers = await Promise.all([1, 2, 3, 4, 5].map(() => pool.connected(server.wsUrl)));
    const inboxes = subscribers.map(() => [] as number[]);
    const ready = subscribers.map(({ client }, i) => {
      return new Promise<void>((resolve) => {
        client.subscribe('chat:fanout', {
          onSubscribed: () => resolve(),
          onPublication: (p) => inboxes[i].push(p.seq),
        });
      });
    });
    await Promise.all(ready);
    const { client: publisher } = await pool.connected(server.wsUrl);
    const acks = [];
    for (let i = 0; i < 10; i += 1) acks.push(await publisher.publish('chat:fanout', { text: `m${i}` }));
    const seqs = acks.map((ack) => ack.seq);
    await waitFor(() => inboxes.every((inbox) => inbox.length === 10), 'ten publications on every client');
    for (const inbox of inboxes) expect(inbox).toEqual(seqs);
  });

  it('returns the snapshot of a latest-value channel on subscribe', async () => {
    const { client } = await pool.connected(server.wsUrl);
    await client.publish('counter:basics', { op: 'increment' });
    await client.publish('counter:basics', { op: 'increment' });
    const { client: late } = await pool.connected(server.wsUrl);
    const info = await new Promise<SubscribedInfo>((resolve) => {
      late.subscribe('counter:basics', { onSubscribed: resolve });
    });
    // Handed over exactly as the engine holds it.
    const { state } = await server.engine.broker.snapshot('counter:basics');
    expect(info).toMatchObject({ latest: true, first: true, recovered: false });
    expect(info.snapshot).toEqual({ value: state });
    expect(info.snapshot).not.toBeUndefined();
  });

  it('routes join, leave and ephemeral messages, and answers presence and history', async () => {
    const { client: alice } = await pool.connected(server.wsUrl, { name: 'alice' });
    const { client: bob } = await pool.connected(server.wsUrl, { name: 'bob' });
    const events: string[] = [];
    const aliceSub = await new Promise<ReturnType<typeof alice.subscribe>>((resolve) => {
      const sub = alice.subscribe('chat:room', {
        onSubscribed: () => resolve(sub),
        onJoin: (c) => events.push(`join ${c.name}`),
        onLeave: (c) => events.push(`leave ${c.name}`),
        onEphemeral: (data, from) => events.push(`typing ${from.name} ${JSON.stringify(data)}`),
      });
    });
    const bobSub = await new Promise<ReturnType<typeof bob.subscribe>>((resolve) => {
      const sub = bob.subscribe('chat:room', { onSubscribed: () => resolve(sub) });
    });
    await waitFor(() => events.includes('join bob'), 'bob joining');
    const names = (await aliceSub.presence()).map((c) => c.name).sort();
    expect(names).toEqual(['alice', 'bob']);
    await bobSub.ephemeral({ typing: true });
    await waitFor(() => events.includes('typing bob {"typing":true}'), 'the typing indicator');
    const ack = await bobSub.publish({ text: 'hi' });
    const history = await aliceSub.history({ limit: 10 });
    expect(history.publications.at(-1)).toMatchObject({ seq: ack.seq, data: { text: 'hi' } });
    await bobSub.unsubscribe();
    await waitFor(() => events.includes('leave bob'), 'bob leaving');
    expect(bob.subscribe('chat:room')).toBeDefined(); // the channel is free again after unsubscribe
  });

  it('rejects refused requests with the server code and reports refused subscriptions', async () => {
    const { client } = await pool.connected(server.wsUrl);
    // The channel catalogue types a publish to `trends` as `never`; a plain string gets past the types.
    const serverOnly: string = 'trends';
    await expect(client.publish(serverOnly, { x: 1 })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(client.publish('nope', { x: 1 })).rejects.toMatchObject({ code: 'not_found' });
    const error = await new Promise<{ code: string }>((resolve) => {
      client.subscribe('nope:channel', { onError: resolve });
    });
    expect(error.code).toBe('not_found');
    // A refused subscription is forgotten, so the channel name can be used again.
    expect(() => client.subscribe('nope:channel')).not.toThrow();
    client.subscribe('echo');
    expect(() => client.subscribe('echo')).toThrow(/already subscribed/);
  });

  it('measures latency with a JSON ping and pushes client_count changes', async () => {
    // A fresh server: the hub coalesces count pushes against the last value it pushed, which
    // earlier tests' clients would have left behind.
    const fresh = await startTestServer({ clientCountIntervalMs: 20 });
    try {
      const { client } = pool.create(fresh.wsUrl);
      const latencies: number[] = [];
      const counts: number[] = [];
      client.on('latency', (ms) => latencies.push(ms));
      client.on('client_count', (count) => counts.push(count));
      await waitFor(() => client.state === 'connected', 'the client to connect');
      const latency = await client.ping();
      expect(latency).toBeGreaterThanOrEqual(0);
      expect(latency).toBeLessThan(1000);
      expect(latencies).toEqual([latency]);
      expect(counts[0]).toBe(1);
      const { client: other } = await pool.connected(fresh.wsUrl);
      await waitFor(() => counts.at(-1) === 2, 'the count to reach 2');
      other.disconnect();
      await waitFor(() => counts.at(-1) === 1, 'the count to drop back to 1');
    } finally {
      pool.closeAll();
      await fresh.close();
    }
  });
});
