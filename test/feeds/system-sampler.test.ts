import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir, totalmem, uptime } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemInformationSampler } from '../../src/feeds/system-sampler.ts';

/** Moves `bytes` over loopback through a real HTTP server, so the network counters have to move. */
async function loopbackTraffic(bytes: number): Promise<void> {
  const body = Buffer.alloc(bytes, 'x');
  const server: Server = createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve, reject) => {
    request({ host: '127.0.0.1', port }, (res) => {
      res.on('data', () => undefined);
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('SystemInformationSampler (real systeminformation)', () => {
  let directory = '';

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'trendstream-sampler-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads real host numbers, and network rates from the second sample on', async () => {
    const sampler = new SystemInformationSampler({ temperaturePath: join(directory, 'missing') });
    const first = await sampler.sample();

    expect(first.cpu).toBeGreaterThanOrEqual(0);
    expect(first.cpu).toBeLessThanOrEqual(100);
    expect(first.memory).toBeGreaterThan(0);
    expect(first.memory).toBeLessThan(100);
    expect(first.memory_total_bytes).toBe(totalmem());
    expect(first.memory_used_bytes).toBeGreaterThan(0);
    expect(first.memory_used_bytes).toBeLessThan(first.memory_total_bytes);
    expect(first.memory).toBeCloseTo((first.memory_used_bytes / first.memory_total_bytes) * 100, 0);
    expect(first.network_sent).toBeGreaterThan(0);
    expect(first.network_recv).toBeGreaterThan(0);
    expect(first.network_sent_rate).toBe(0);
    expect(first.network_recv_rate).toBe(0);
    expect(first.load_average).toHaveLength(3);
    for (const load of first.load_average) expect(load).toBeGreaterThanOrEqual(0);
    expect(first.disk).toBeGreaterThan(0);
    expect(first.disk).toBeLessThanOrEqual(100);
    expect(Math.abs(first.uptime_seconds - uptime())).toBeLessThan(5);
    expect(first).not.toHaveProperty('temperature');

    await loopbackTraffic(2_000_000);
    const second = await sampler.sample();
    expect(second.network_recv).toBeGreaterThanOrEqual(first.network_recv + 2_000_000);
    expect(second.network_sent).toBeGreaterThanOrEqual(first.network_sent + 2_000_000);
    expect(second.network_recv_rate).toBeGreaterThan(0);
    expect(second.network_sent_rate).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(second))).toEqual(second);
  });

  it('reports CPU temperature when a thermal zone exists', async () => {
    const path = join(directory, 'temp');
    await writeFile(path, '47250\n');
    const sampler = new SystemInformationSampler({ temperaturePath: path });
    expect((await sampler.sample()).temperature).toBe(47.3);
  });
});
