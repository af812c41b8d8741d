/** Resuming a channel from a stream position: exactly the missed publications, or recovered:false. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublicationFrame } from '../../src/protocol/frames.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

let server: RunningServer;
const clients: WsTestClient[] = [];
/** Publisher loops check this, so a failed test cannot leave one running. */
let publishing = false;

async function connect(): Promise<WsTestClient> {
  const client = await WsTestClient.connect(server.wsUrl);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  publishing = false;
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

describe('recovery', () => {
  it('resumes with exactly the missed publications while publishing continues, no gap, no duplicate', async () => {
    const reader = await connect();
    const first = await reader.request({ type: 'subscribe', id: 's', channel: 'events' });
    expect(first).toMatchObject({ type: 'subscribed', seq: 0 });
    let published = 0;
    publishing = true;
    const hub = server.hub;
    // About one publication per millisecond: well inside the 200 kept in history while we reconnect.
    const publisher = (async () => {
      while (publishing) {
        published += 1;
        await hub.publish('events', { n: published });
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    await reader.nextPublication((p) => p.seq >= 20);
    // Kill the socket mid-stream, without a close handshake.
    reader.ws.terminate();
    await reader.closed;
    const seen = reader.publications('events');
    const last = seen.at(-1)!;
    await new Promise((r) => setTimeout(r, 20));
    const resumed = await connect();
    resumed.send({
      type: 'subscribe',
      id: 'r',
      channel: 'events',
      since: { epoch: last.epoch, seq: last.seq },
    });
    const reply = await resumed.next('subscribed');
    expect(reply.recovered).toBe(true);
    expect(reply.snapshot).toBeUndefined();
    await new Promise((r) => setTimeout(r, 30));
    publishing = false;
    await publisher;
    await resumed.nextPublication((p) => p.seq === published);
    const all: PublicationFrame[] = [...seen, ...resumed.publications('events')];
    expect(all.map((p) => p.seq)).toEqual(Array.from({ length: published }, (_, i) => i + 1));
    expect(all.map((p) => (p.data as { n: number }).n)).toEqual(all.map((p) => p.seq));
  });

  it('says recovered:false with the current snapshot when history no longer reaches back', async () => {
    // metrics keeps 300 publications: publish 400, resume from seq 10.
    for (let i = 1; i <= 400; i += 1) await server.hub.publish('metrics', { cpu: i });
    const client = await connect();
    const reply = await client.request({ type: 'history', id: 'h', channel: 'metrics', limit: 1 });
    expect(reply).toMatchObject({ type: 'history', seq: 400 });
    const epoch = (reply as { epoch: string }).epoch;
    const resumed = await client.request({
      type: 'subscribe',
      id: 's',
      channel: 'metrics',
      since: { epoch, seq: 10 },
    });
    expect(resumed).toMatchObject({ type: 'subscribed', recovered: false, seq: 400, snapshot: { cpu: 400 } });
    await new Promise((r) => setTimeout(r, 50));
    expect(client.publications('metrics')).toEqual([]);
  });

  it('says recovered:false for a position from another epoch (a restarted memory engine)', async () => {
    await server.hub.publish('events', { n: 1 });
    const client = await connect();
    const reply = await client.request({
      type: 'subscribe',
      id: 's',
      channel: 'events',
      since: { epoch: 'previous-life', seq: 1 },
    });
    expect(reply).toMatchObject({ recovered: false, seq: 1 });
  });

  it('serves history over the WebSocket and the HTTP API', async () => {
    for (let i = 1; i <= 5; i += 1) await server.hub.publish('events', { n: i });
    const client = await connect();
    const reply = await client.request({ type: 'history', id: 'h', channel: 'events', limit: 2 });
    expect((reply as { publications: PublicationFrame[] }).publications.map((p) => p.seq)).toEqual([4, 5]);
    const http = (await (await fetch(`${server.httpUrl}/api/history?channel=events&limit=3`)).json()) as {
      publications: PublicationFrame[];
    };
    expect(http.publications.map((p) => p.seq)).toEqual([3, 4, 5]);
  });
});
