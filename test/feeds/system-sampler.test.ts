import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir, totalmem, uptime } from 'node:os';
import { join } from 'node:path';
import si from 'systeminformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listInterfaces,
  parseInterfaceSelection,
  selectInterfaces,
  SystemInformationSampler,
  type InterfaceInfo,
} from '../../src/feeds/system-sampler.ts';

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
    // `all`: loopback included, so traffic this test makes itself moves the counters.
    const sampler = new SystemInformationSampler({
      temperaturePath: join(directory, 'missing'),
      interfaces: 'all',
    });
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
    expect(first.interfaces).toContain('lo');

    await loopbackTraffic(2_000_000);
    const second = await sampler.sample();
    expect(second.network_recv).toBeGreaterThanOrEqual(first.network_recv + 2_000_000);
    expect(second.network_sent).toBeGreaterThanOrEqual(first.network_sent + 2_000_000);
    expect(second.network_recv_rate).toBeGreaterThan(0);
    expect(second.network_sent_rate).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(second))).toEqual(second);
  });

  it.runIf(process.platform === 'linux')(
    'leaves loopback out by default: in and out are each interface’s own counters',
    async () => {
      const listed = await si.networkInterfaces();
      const external = selectInterfaces(await listInterfaces(), 'external');
      // This machine's real interfaces: loopback is there, and so is the one carrying the default route.
      expect(listed.map((entry) => entry.iface)).toContain('lo');
      const defaultInterface = listed.find((entry) => entry.default)?.iface;
      expect(defaultInterface).toBeTruthy();
      expect(external).not.toContain('lo');
      expect(external).toContain(defaultInterface);
      expect(selectInterfaces(await listInterfaces(), 'all')).toContain('lo');
      expect(selectInterfaces(await listInterfaces(), 'default')).toEqual([defaultInterface]);

      const sampler = new SystemInformationSampler({ temperaturePath: join(directory, 'missing') });
      const before = await kernelCounters(external);
      const first = await sampler.sample();
      const after = await kernelCounters(external);
      expect(first.interfaces).toEqual(external);
      // The figures are the kernel's own per-direction counters of those interfaces, not a copy of one.
      expect(first.network_recv).toBeGreaterThanOrEqual(before.recv);
      expect(first.network_recv).toBeLessThanOrEqual(after.recv);
      expect(first.network_sent).toBeGreaterThanOrEqual(before.sent);
      expect(first.network_sent).toBeLessThanOrEqual(after.sent);
      expect(first.network_recv).not.toBe(first.network_sent);

      // 2 MB each way over loopback: the figures move only as far as the external counters did.
      await loopbackTraffic(2_000_000);
      const second = await sampler.sample();
      const moved = await kernelCounters(external);
      expect(second.network_recv - first.network_recv).toBeLessThanOrEqual(moved.recv - before.recv);
      expect(second.network_sent - first.network_sent).toBeLessThanOrEqual(moved.sent - before.sent);
      expect(second.network_recv_rate).toBeGreaterThanOrEqual(0);
      expect(second.network_sent_rate).toBeGreaterThanOrEqual(0);
    },
  );

  it('reports CPU temperature when a thermal zone exists', async () => {
    const path = join(directory, 'temp');
    await writeFile(path, '47250\n');
    const sampler = new SystemInformationSampler({ temperaturePath: path });
    expect((await sampler.sample()).temperature).toBe(47.3);
  });
});

/** The kernel's counters of `interfaces` (Linux sysfs), summed: what the sampler's figures must match. */
async function kernelCounters(interfaces: string[]): Promise<{ recv: number; sent: number }> {
  let recv = 0;
  let sent = 0;
  for (const iface of interfaces) {
    recv += Number(await readFile(`/sys/class/net/${iface}/statistics/rx_bytes`, 'utf8'));
    sent += Number(await readFile(`/sys/class/net/${iface}/statistics/tx_bytes`, 'utf8'));
  }
  return { recv, sent };
}

describe('selectInterfaces', () => {
  const host: InterfaceInfo[] = [
    { iface: 'lo', internal: true, default: false },
    { iface: 'eth0', internal: false, default: true },
    { iface: 'wlan0', internal: false, default: false },
    { iface: 'docker0', internal: false, default: false, bridge: true },
    { iface: 'veth12ab', internal: false, default: false },
  ];

  it('picks the external interfaces by default: no loopback, bridges or veth pairs', () => {
    expect(selectInterfaces(host)).toEqual(['eth0', 'wlan0']);
    expect(selectInterfaces(host, 'external')).toEqual(['eth0', 'wlan0']);
  });

  it('keeps loopback available, and picks the default route’s interface or named ones', () => {
    expect(selectInterfaces(host, 'all')).toEqual(['lo', 'eth0', 'wlan0', 'docker0', 'veth12ab']);
    expect(selectInterfaces(host, 'default')).toEqual(['eth0']);
    expect(selectInterfaces(host, ['wlan0', 'lo', 'nope'])).toEqual(['lo', 'wlan0']);
  });

  it('falls back to the default route’s interface when only a bridge carries it', () => {
    const kvmHost: InterfaceInfo[] = [
      { iface: 'lo', internal: true, default: false },
      { iface: 'br0', internal: false, default: true, bridge: true },
    ];
    expect(selectInterfaces(kvmHost, 'external')).toEqual(['br0']);
    expect(selectInterfaces([{ iface: 'lo', internal: true, default: false }], 'external')).toEqual([]);
  });

  it('parses the setting’s text', () => {
    expect(parseInterfaceSelection('external')).toBe('external');
    expect(parseInterfaceSelection(' all ')).toBe('all');
    expect(parseInterfaceSelection('default')).toBe('default');
    expect(parseInterfaceSelection('eth0, wlan0')).toEqual(['eth0', 'wlan0']);
    expect(() => parseInterfaceSelection(' , ')).toThrow(/interface/);
  });
});
