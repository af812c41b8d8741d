/**
 * The hub's frame limit (`limits.max_frame_bytes` in the `connection` frame), kept by the SDK: a publish,
 * RPC or ephemeral larger than it is refused with `too_large` and never sent, so the hub does not close
 * the connection (1009) and nothing reconnects. Counted in UTF-8 bytes, as the hub counts them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { ClientPool, newWireLog, recordingWebSocket, sleep, waitFor } from './sdk-test-kit.ts';

const pool = new ClientPool();
let server: RunningServer | undefined;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  pool.closeAll();
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

describe('frame limit', () => {
  it('refuses a 70 KB publish with too_large without sending it, and the connection stays up', async () => {
    server = await startTestServer(); // max_frame_bytes: 64 KiB by default
    const wire = newWireLog();
    const { client, statuses } = await pool.connected(server.wsUrl, { WebSocket: recordingWebSocket(wire) });
    const received: unknown[] = [];
    await new Promise<void>((resolve) => {
      client.subscribe('echo', {
        onSubscribed: () => resolve(),
        onPublication: (p) => received.push(p.data),
      });
    });
    const statusCount = statuses.length;

    const big = 'x'.repeat(70 * 1024);
    const refused = await client.publish('echo', big).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'TrendStreamError', code: 'too_large' });
    expect((refused as Error).message).toMatch(/^\d+ bytes, over the hub's limit of 65536$/);
    await expect(client.rpc('save', { big })).rejects.toMatchObject({ code: 'too_large' });
    expect(wire.sent.filter((frame) => frame.type === 'publish' || frame.type === 'rpc')).toEqual([]);

    // Still the same connection: a normal publish goes through and comes back.
    const ack = await client.publish('echo', 'small');
    expect(ack.seq).toBeGreaterThan(0);
    await waitFor(() => received.includes('small'), 'the small publication');
    expect(statuses.length).toBe(statusCount);
    expect(wire.urls).toHaveLength(1);
  });

  it('counts UTF-8 bytes: a frame under the limit in characters but over it in bytes is refused', async () => {
    server = await startTestServer({ maxFrameBytes: 4096 });
    const { client, statuses } = await pool.connected(server.wsUrl);
    const euros = '€'.repeat(1500); // 1500 characters, 4500 bytes
    await expect(client.publish('echo', euros)).rejects.toMatchObject({ code: 'too_large' });
    const fits = 'e'.repeat(3900);
    await expect(client.publish('echo', fits)).resolves.toMatchObject({ channel: 'echo' });
    expect(client.state).toBe('connected');
    expect(statuses.filter((s) => s.state === 'reconnecting')).toEqual([]);
  });

  it('refuses an oversized publish queued while offline when the queue is flushed, and sends the rest', async () => {
    server = await startTestServer({ maxFrameBytes: 4096 });
    proxy = await startTcpProxy({ targetPort: server.port });
    const { client, statuses } = await pool.connected(proxy.wsUrl('/ws'));
    proxy.refuseNew(true);
    proxy.dropAll();
    await waitFor(() => client.state === 'reconnecting', 'the drop');
    const before = client.publish('echo', { n: 1 });
    const oversized = client.publish('echo', 'y'.repeat(5000)).catch((error: unknown) => error);
    const after = client.publish('echo', { n: 2 });
    proxy.refuseNew(false);
    const [first, refused, second] = await Promise.all([before, oversized, after]);
    expect(refused).toMatchObject({ code: 'too_large' });
    expect(second.seq).toBe(first.seq! + 1);
    await sleep(100);
    expect(client.state).toBe('connected');
    expect(statuses.filter((s) => s.code === 1009)).toEqual([]); // the hub never saw it
  });
});
