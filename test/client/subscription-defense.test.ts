/**
 * The SDK's defensive paths, driven by a scripted hub that misbehaves on purpose: duplicates are
 * dropped, a gap on a history channel triggers a resubscribe with `since`, a gap on a latest-value
 * channel is accepted (conflation), a server that never completes the handshake is left behind, and
 * malformed frames and payloads become `error` events instead of reaching the application.
 * Channels outside the catalogue (`ticks`, `prices`) carry free-form data; built-in ones are checked.
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
    client.subscribe('ticks', {
      onPublication: (p) => seen.push(p.seq),
      onSubscribed: (i) => infos.push(i),
    });
    const first = await hub.nextFrame('subscribe');
    expect(first.since).toBeUndefined();
    hub.send({
      type: 'subscribed',
      id: first.id!,
      channel: 'ticks',
      epoch: 'e1',
      seq: 0,
      recovered: false,
      latest: false,
    });
    for (const seq of [1, 2, 2, 1, 3]) hub.send(publication('ticks', seq));
    hub.send(publication('ticks', 5)); // 4 is missing
    hub.send(publication('ticks', 6)); // dropped while resyncing

    const unsubscribe = await hub.nextFrame('unsubscribe');
    hub.send({ type: 'unsubscribed', id: unsubscribe.id!, channel: 'ticks' });
    const again = await hub.nextFrame('subscribe', 1);
    expect(again.since).toEqual({ epoch: 'e1', seq: 3 });
    hub.send({
      type: 'subscribed',
      id: again.id!,
      channel: 'ticks',
      epoch: 'e1',
      seq: 6,
      recovered: true,
      latest: false,
    });
    for (const seq of [4, 5, 6, 7]) hub.send(publication('ticks', seq));

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
    client.subscribe('prices', { onPublication: (p) => seen.push(p.seq) });
    const subscribe = await hub.nextFrame('subscribe');
    hub.send({
      type: 'subscribed',
      id: subscribe.id!,
      channel: 'prices',
      epoch: 'e1',
      seq: 10,
      recovered: false,
      latest: true,
      snapshot: {},
    });
    for (const seq of [9, 10, 14, 12, 20]) hub.send(publication('prices', seq));
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

  it('ignores unknown frame types and replies to unknown ids, reports malformed frames as errors', async () => {
    hub = await ScriptedHub.start();
    const { client } = await pool.connected(hub.url);
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.code));
    const seen: number[] = [];
    client.subscribe('ticks', { onPublication: (p) => seen.push(p.seq) });
    const subscribe = await hub.nextFrame('subscribe');
    hub.send({
      type: 'subscribed',
      id: subscribe.id!,
      channel: 'ticks',
      epoch: 'e1',
      seq: 0,
      recovered: false,
      latest: false,
    });
    hub.send({ type: 'pong', id: 'r999' });
    hub.sendRaw('{"type":"future_frame"}'); // a newer server's frame: ignored, not an error
    hub.sendRaw('not json {');
    hub.sendRaw('[1,2]');
    hub.sendRaw('{"type":"publication","channel":"ticks","epoch":"e1","data":1,"timestamp":"T"}'); // no seq
    hub.sendRaw('{"type":"client_count","count":"many"}');
    hub.send(publication('ticks', 1));
    hub.send({ type: 'error', code: 'rate_limited', message: 'slow down' });
    await waitFor(() => errors.length === 5, 'the errors');
    expect(errors).toEqual(['bad_frame', 'bad_frame', 'bad_frame', 'bad_frame', 'rate_limited']);
    expect(seen).toEqual([1]);
    expect(client.state).toBe('connected');
  });

  it('hands built-in channels only payloads that match the catalogue, and reports the rest', async () => {
    hub = await ScriptedHub.start();
    const { client } = await pool.connected(hub.url);
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.code));
    const counts: Array<number | undefined> = [];
    const values: number[] = [];
    client.subscribe('counter:clicks', {
      onSubscribed: (info) => counts.push(info.snapshot?.value),
      onPublication: (p) => values.push(p.data.value), // typed by the catalogue: CounterValue
    });
    const subscribe = await hub.nextFrame('subscribe');
    const base = {
      type: 'subscribed',
      id: subscribe.id!,
      channel: 'counter:clicks',
      epoch: 'e1',
      recovered: false,
      latest: false,
    } as const;
    hub.send({ ...base, seq: 0, snapshot: { value: 'lots' } });
    const frame = (seq: number, data: unknown): PublicationFrame => ({
      ...publication('counter:clicks', seq),
      data,
    });
    hub.send(frame(1, { value: 1 }));
    hub.send(frame(2, { value: '2' }));
    hub.send(frame(3, 3));
    hub.send(frame(4, { value: 4 }));
    await waitFor(() => values.length === 2, 'the two valid publications');
    expect(values).toEqual([1, 4]);
    expect(counts).toEqual([undefined]); // the malformed snapshot is left out, the subscription stands
    expect(errors).toEqual(['bad_payload', 'bad_payload', 'bad_payload']);
    // Dropped publications still move the position on: no resubscribe for a "gap".
    expect(hub.received.filter((f) => f.type === 'unsubscribe')).toEqual([]);
  });

  it('hands any payload over when checkPayloads is off (a hub that redefines a built-in namespace)', async () => {
    hub = await ScriptedHub.start();
    const { client } = await pool.connected(hub.url, { checkPayloads: false });
    const data: unknown[] = [];
    client.subscribe('metrics', { onPublication: (p) => data.push(p.data) });
    const subscribe = await hub.nextFrame('subscribe');
    hub.send({
      type: 'subscribed',
      id: subscribe.id!,
      channel: 'metrics',
      epoch: 'e1',
      seq: 0,
      recovered: false,
      latest: true,
    });
    hub.send(publication('metrics', 1));
    await waitFor(() => data.length === 1, 'the publication');
    expect(data).toEqual([{ seq: 1 }]);
  });

  it('waits for the server-side frame after already_subscribed, and resubscribes if it never comes', async () => {
    hub = await ScriptedHub.start();
    const { client } = await pool.connected(hub.url, { requestTimeoutMs: 300 });
    const infos: SubscribedInfo[] = [];
    const sub = client.subscribe('inbox', { onSubscribed: (i) => infos.push(i) });
    const first = await hub.nextFrame('subscribe');
    hub.send({ type: 'error', id: first.id!, code: 'already_subscribed', message: 'already subscribed' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Within requestTimeoutMs nothing is retried: the server's own subscription is expected.
    expect(hub.received.filter((f) => f.type !== 'ping').map((f) => f.type)).toEqual(['subscribe']);
    // It never came (the server-side subscribe failed): unsubscribe, then subscribe again.
    const unsubscribe = await hub.nextFrame('unsubscribe');
    hub.send({ type: 'error', id: unsubscribe.id!, code: 'not_subscribed', message: 'not subscribed' });
    const again = await hub.nextFrame('subscribe', 1);
    hub.send({
      type: 'subscribed',
      id: again.id!,
      channel: 'inbox',
      epoch: 'e1',
      seq: 0,
      recovered: false,
      latest: false,
    });
    await waitFor(() => infos.length === 1, 'the subscription');
    expect(sub.serverSide).toBe(false);
  });

  it('reconnects, with the position in ?recover=, when a server-side subscription shows a gap', async () => {
    hub = await ScriptedHub.start();
    const { client, statuses } = await pool.connected(hub.url);
    const seen: number[] = [];
    client.on('server_publication', (p) => seen.push(p.seq));
    hub.send({
      type: 'subscribed',
      channel: 'inbox',
      epoch: 'e1',
      seq: 0,
      recovered: false,
      latest: false,
      server_side: true,
    });
    for (const seq of [1, 2, 2]) hub.send(publication('inbox', seq));
    hub.send(publication('inbox', 4)); // 3 is missing
    await waitFor(() => hub!.connections === 2, 'the reconnect');
    expect(statuses.some((s) => s.state === 'reconnecting' && s.reason === 'resync inbox')).toBe(true);
    expect(hub.lastUrl?.searchParams.get('recover')).toBe(JSON.stringify({ inbox: { epoch: 'e1', seq: 2 } }));
    await waitFor(() => client.state === 'connected', 'the new connection');
    hub.send({
      type: 'subscribed',
      channel: 'inbox',
      epoch: 'e1',
      seq: 4,
      recovered: true,
      latest: false,
      server_side: true,
    });
    for (const seq of [3, 4, 5]) hub.send(publication('inbox', seq));
    await waitFor(() => seen.length === 5, 'five publications');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(hub.received.filter((f) => f.type === 'subscribe' || f.type === 'unsubscribe')).toEqual([]);
  });
});
