/**
 * The SDK's defensive paths, driven by a scripted hub that misbehaves on purpose: duplicates are
 * dropped, a gap on a history channel triggers a resubscribe with `since`, a gap on a latest-value
 * channel is accepted (conflation), and a server that never completes the handshake is left behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PublicationFrame, SubscribedInfo } from '../../src/client/types.ts';
import { ScriptedHub } from './scripted-hub.ts';
import { ClientPool, waitFor } from './sdk-test-kit.ts';

const pool = new ClientPool();
let hub: ScriptedHub | undefined;

afterEach(async () => {
  pool.closeAll();
  await hub?.close();
  hub = undefined;
});

function publication(channel: string, seq: number, epoch = 'e1'): PublicationFrame {
  return { type: 'publication', channel, epoch, seq, data: { seq }, timestamp: new Date(0).toISOString() };
}

describe('subscription defences', () => {
  it('drops duplicates and resubscribes with since after a gap on a history channel', async () => {
    hub = await ScriptedHub.start();
    const { client } = await pool.connected(hub.url);
    const seen: number[] = [];
    const infos: SubscribedInfo[] = [];
    client.subscribe('events', {
      onPublication: (p) => seen.push(p.seq),
      onSubscribed: (i) => infos.push(i),
    });
    const first = await hub.nextFrame('subscribe');
    expect(first.since).toBeUndefined();
    hub.send({
      type: 'subscribed',
      id: first.id!,
      channel: 'events',
      epoch: 'e1',
      seq: 0,
      recovered: false,
      latest: false,
    });
    for (const seq of [1, 2, 2, 1, 3]) hub.send(publication('events', seq));
    hub.send(publication('events', 5)); // 4 is missing
    hub.send(publication('events', 6)); // dropped while resyncing

    const unsubscribe = await hub.nextFrame('unsubscribe');
    hub.send({ type: 'unsubscribed', id: unsubscribe.id!, channel: 'events' });
    const again = await hub.nextFrame('subscribe', 1);
    expect(again.since).toEqual({ epoch: 'e1', seq: 3 });
    hub.send({
      type: 'subscribed',
      id: again.id!,
      channel: 'events',
      epoch: 'e1',
      seq: 6,
      recovered: true,
      latest: false,
    });
    for (const seq of [4, 5, 6, 7]) hub.send(publication('events', seq));

    await waitFor(() => seen.length === 7, 'seven publications');
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(infos.map((i) => [i.first, i.recovered])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('accepts gaps on latest-value channels but still drops stale seqs', async () => {
    hub = await ScriptedHub.start();
    const { client } = await pool.connected(hub.url);
    const seen: number[] = [];
    client.subscribe('metrics', { onPublication: (p) => seen.push(p.seq) });
    const subscribe = await hub.nextFrame('subscribe');
    hub.send({
      type: 'subscribed',
      id: subscribe.id!,
      channel: 'metrics',
      epoch: 'e1',
      seq: 10,
      recovered: false,
      latest: true,
      snapshot: {},
    });
    for (const seq of [9, 10, 14, 12, 20]) hub.send(publication('metrics', seq));
    await waitFor(() => seen.length === 2, 'two publications');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([14, 20]);
    expect(hub.received.filter((f) => f.type === 'unsubscribe')).toEqual([]);
  });

  it('gives up on a server that never sends the connection frame and tries again', async () => {
    hub = await ScriptedHub.start({ greet: false });
    const { statuses } = pool.create(hub.url, { requestTimeoutMs: 150 });
    await waitFor(() => statuses.some((s) => s.reason === 'connect timeout'), 'the connect timeout', 3000);
    await waitFor(() => hub!.connections >= 2, 'a second attempt', 3000);
    expect(statuses[0]?.state).toBe('connecting');
    expect(statuses.find((s) => s.reason === 'connect timeout')).toMatchObject({
      state: 'reconnecting',
      attempt: 1,
    });
  });

  it('ignores frames of an unknown type, bad JSON and replies to unknown ids', async () => {
    hub = await ScriptedHub.start();
    const { client } = await pool.connected(hub.url);
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.code));
    hub.send({ type: 'pong', id: 'r999' });
    hub.sendRaw('{"type":"future_frame"}');
    hub.sendRaw('not json {');
    hub.sendRaw('[1,2]');
    hub.send({ type: 'error', code: 'rate_limited', message: 'slow down' });
    await waitFor(() => errors.length === 1, 'the unsolicited error');
    expect(errors).toEqual(['rate_limited']);
    expect(client.state).toBe('connected');
  });
});
