/**
 * Server-side subscriptions through the SDK, against a real hub and a real backend: the connect proxy's
 * `channels` (or a JWT `subs` claim) subscribe the connection without it asking; the SDK reports them,
 * lets the app attach handlers, and on every reconnect hands the server their positions in
 * `?recover=`, so they resume without gap or duplicate — after dropped sockets, a restart, and the
 * connect proxy's `expire_at` (4003).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Publication, StreamPosition, SubscribedInfo } from '../../src/client/types.ts';
import { MemoryEngine } from '../../src/engine/memory/memory-engine.ts';
import type { NotificationPayload } from '../../src/protocol/payloads.ts';
import { mintToken } from '../../src/server/identity.ts';
import { startTestBackend, type TestBackend } from '../helpers/backend-server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { ClientPool, newWireLog, recordingWebSocket, sleep, waitFor } from './sdk-test-kit.ts';

const INBOX = 'notifications#42';
const pool = new ClientPool();
let backend: TestBackend | undefined;
let server: RunningServer | undefined;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  pool.closeAll();
  await proxy?.close();
  await server?.close();
  await backend?.stop();
  proxy = undefined;
  server = undefined;
  backend = undefined;
});

function note(i: number): NotificationPayload {
  return {
    id: `n${i}`,
    level: 'info',
    title: `note ${i}`,
    message: 'hi',
    timestamp: new Date().toISOString(),
  };
}

/** A backend whose connect proxy lets everyone in as user 42, subscribed to their inbox. */
async function startInboxBackend(): Promise<TestBackend> {
  const started = await startTestBackend();
  started.on('/connect', () => ({ json: { result: { user: '42', channels: [INBOX] } } }));
  return started;
}

/** Everything the app sees of server-side subscriptions through the client events. */
function watchServerSide(client: ReturnType<ClientPool['create']>['client']): {
  infos: SubscribedInfo[];
  seqs: number[];
  errors: string[];
} {
  const seen = { infos: [] as SubscribedInfo[], seqs: [] as number[], errors: [] as string[] };
  client.on('server_subscribed', (info) => seen.infos.push(info));
  client.on('server_publication', (p) => seen.seqs.push(p.seq));
  client.on('error', (error) => seen.errors.push(error.code));
  return seen;
}

describe('server-side subscriptions', () => {
  it('reports the connect proxy channels, delivers their publications, and attaches handlers without a frame', async () => {
    backend = await startInboxBackend();
    server = await startTestServer({ connectProxyUrl: backend.url('/connect'), insecureAnyOrigin: true });
    const wire = newWireLog();
    const { client } = pool.create(server.wsUrl, { WebSocket: recordingWebSocket(wire) });
    const seen = watchServerSide(client);
    await waitFor(() => seen.infos.length === 1, 'the server-side subscription');
    expect(seen.infos[0]).toMatchObject({ channel: INBOX, recovered: false, first: true, latest: false });

    const attached: Array<Publication<NotificationPayload>> = [];
    const sub = client.subscribe(INBOX, { onPublication: (p) => attached.push(p) });
    expect(sub.serverSide).toBe(true);
    expect(client.subscribe(INBOX)).toBe(sub); // attaching again is allowed: it replaces the handlers
    await sub.unsubscribe(); // detaches; the server-side subscription stays
    client.subscribe(INBOX, { onPublication: (p) => attached.push(p) });

    const first = await server.hub.publish(INBOX, note(1));
    const second = await server.hub.publish(INBOX, note(2));
    await waitFor(() => seen.seqs.length === 2 && attached.length === 2, 'both publications');
    expect(seen.seqs).toEqual([first.seq, second.seq]);
    expect(attached.map((p) => p.data.id)).toEqual(['n1', 'n2']);
    // The app never asked: no subscribe or unsubscribe frame went out, and nothing was refused.
    expect(wire.sent.filter((f) => f.type === 'subscribe' || f.type === 'unsubscribe')).toEqual([]);
    expect(wire.urls[0]?.searchParams.has('recover')).toBe(false);
    expect(seen.errors).toEqual([]);
  });

  it('resumes across dropped sockets with ?recover=: every publication once, in order', async () => {
    backend = await startInboxBackend();
    server = await startTestServer({
      connectProxyUrl: backend.url('/connect'),
      insecureAnyOrigin: true,
      rateLimitPerSecond: 100_000,
      rateLimitBurst: 100_000,
    });
    proxy = await startTcpProxy({ targetPort: server.port });
    const wire = newWireLog();
    const { client, statuses } = pool.create(proxy.wsUrl('/ws'), { WebSocket: recordingWebSocket(wire) });
    const seen = watchServerSide(client);
    await waitFor(() => seen.infos.length === 1, 'the server-side subscription');

    const published: number[] = [];
    const drops = [40, 80, 120];
    for (let i = 0; i < 160; i += 1) {
      published.push((await server.hub.publish(INBOX, note(i))).seq);
      if (drops.includes(i)) proxy.dropAll();
      await sleep(2);
    }
    await waitFor(() => seen.seqs.length >= published.length, 'the client to catch up', 10_000);

    expect(seen.seqs).toEqual(published);
    expect(statuses.filter((s) => s.state === 'reconnecting').length).toBeGreaterThanOrEqual(drops.length);
    expect(proxy.acceptedCount).toBe(drops.length + 1);
    const resumed = seen.infos.slice(1);
    expect(resumed).toHaveLength(drops.length);
    expect(resumed.every((info) => info.recovered && !info.first && info.channel === INBOX)).toBe(true);
    // Each reconnect told the server where the subscription was; the SDK never subscribed itself.
    for (const url of wire.urls.slice(1)) {
      const recover = JSON.parse(url.searchParams.get('recover') ?? '{}') as Record<string, StreamPosition>;
      expect(Object.keys(recover)).toEqual([INBOX]);
      expect(recover[INBOX]?.epoch).toBe(seen.infos[0]?.epoch);
      expect(recover[INBOX]?.seq).toBeGreaterThan(0);
    }
    expect(wire.sent.filter((f) => f.type === 'subscribe')).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  it('resumes a JWT subs subscription after a graceful restart, recovering what was published meanwhile', async () => {
    const secret = 'test-secret-that-is-long-enough-for-hs256';
    const engine = new MemoryEngine(); // outlives the restart, as Redis would
    server = await startTestServer({ jwtSecret: secret, engine });
    const port = server.port;
    proxy = await startTcpProxy({ targetPort: port });
    const token = await mintToken(secret, { sub: '42', subs: [INBOX] });
    const { client } = pool.create(proxy.wsUrl('/ws'), { token });
    const seen = watchServerSide(client);
    await waitFor(() => seen.infos.length === 1, 'the server-side subscription');
    const published = [(await server.hub.publish(INBOX, note(1))).seq];
    await waitFor(() => seen.seqs.length === 1, 'the first publication');

    proxy.refuseNew(true); // the client stays away while the new server takes publications
    await server.close(); // 1012
    await waitFor(() => client.state === 'reconnecting', 'the client to notice the restart');
    server = await startTestServer({ jwtSecret: secret, engine, port });
    for (let i = 2; i <= 4; i += 1) published.push((await server.hub.publish(INBOX, note(i))).seq);
    proxy.refuseNew(false);
    await waitFor(() => seen.infos.length === 2, 'the resumed subscription', 5000);
    published.push((await server.hub.publish(INBOX, note(5))).seq);
    await waitFor(() => seen.seqs.length >= published.length, 'the missed publications and a live one');

    expect(seen.infos[1]).toMatchObject({ channel: INBOX, recovered: true, first: false });
    expect(seen.infos[1]?.snapshot).toBeUndefined();
    expect(seen.seqs).toEqual(published);
    expect(seen.errors).toEqual([]);
  });

  it('adopts a subscription the app asked for when the server subscribed the channel itself', async () => {
    backend = await startInboxBackend();
    server = await startTestServer({ connectProxyUrl: backend.url('/connect'), insecureAnyOrigin: true });
    proxy = await startTcpProxy({ targetPort: server.port });
    const wire = newWireLog();
    const { client } = pool.create(proxy.wsUrl('/ws'), { WebSocket: recordingWebSocket(wire) });
    const seen = watchServerSide(client);
    const infos: SubscribedInfo[] = [];
    const seqs: number[] = [];
    // Asked before the connection: the SDK cannot know yet that the server will subscribe it.
    const sub = client.subscribe(INBOX, {
      onSubscribed: (info) => infos.push(info),
      onPublication: (p) => seqs.push(p.seq),
    });
    await waitFor(() => infos.length === 1, 'the subscription');
    expect(sub.serverSide).toBe(true);
    expect(infos[0]).toMatchObject({ channel: INBOX, first: true, recovered: false });
    const published = [(await server.hub.publish(INBOX, note(1))).seq];
    await waitFor(() => seqs.length === 1, 'a publication');

    proxy.dropAll();
    await waitFor(() => infos.length === 2, 'the resumed subscription');
    published.push((await server.hub.publish(INBOX, note(2))).seq);
    await waitFor(() => seqs.length === 2, 'a publication after the resume');
    await sleep(50); // a late refusal of the first subscribe would show up as a resubscribe

    expect(infos[1]).toMatchObject({ recovered: true, first: false });
    expect(seqs).toEqual(published);
    expect(seen.seqs).toEqual(published);
    // One subscribe, on the first connection only (refused already_subscribed, then moot); never an unsubscribe.
    expect(wire.sent.filter((f) => f.type === 'subscribe')).toHaveLength(1);
    expect(wire.sent.filter((f) => f.type === 'unsubscribe')).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  it('reconnects at once after 4003 (connect proxy expire_at) and resumes the subscription', async () => {
    backend = await startTestBackend();
    let calls = 0;
    backend.on('/connect', () => {
      calls += 1;
      // The first session expires in a second; the next one does not.
      const expire_at = calls === 1 ? Math.ceil(Date.now() / 1000) + 1 : undefined;
      return { json: { result: { user: '42', channels: [INBOX], expire_at } } };
    });
    server = await startTestServer({ connectProxyUrl: backend.url('/connect'), insecureAnyOrigin: true });
    const { client, statuses } = pool.create(server.wsUrl, { baseDelayMs: 100, maxDelayMs: 5000 });
    const seen = watchServerSide(client);
    await waitFor(() => seen.infos.length === 1, 'the server-side subscription');
    const published = [(await server.hub.publish(INBOX, note(1))).seq];

    await waitFor(() => seen.infos.length === 2, 'the resumed subscription after expiry', 5000);
    published.push((await server.hub.publish(INBOX, note(2))).seq);
    await waitFor(() => seen.seqs.length === 2, 'the publications');

    const reconnecting = statuses.filter((s) => s.state === 'reconnecting');
    expect(reconnecting).toHaveLength(1);
    expect(reconnecting[0]).toMatchObject({ code: 4003, attempt: 1 });
    expect(reconnecting[0]?.delayMs).toBeLessThan(100); // the first attempt's jitter, no growing backoff
    expect(calls).toBe(2); // the backend was asked again
    expect(seen.infos[1]).toMatchObject({ recovered: true, first: false });
    expect(seen.seqs).toEqual(published);
  });
});
