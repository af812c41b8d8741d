/** The target verdicts: a missing comparison is "not measured", never a pass. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN } from '../plan.ts';
import type { ServerKind } from '../servers/kinds.ts';
import { renderHtml } from './html.ts';
import type { BenchReport, HttpPublishRecord, MemoryRecord, PhaseRecord } from './records.ts';
import { renderTables } from './table.ts';
import { checkTargets } from './targets.ts';

function phase(server: ServerKind, clients: number, name: string, cpu: number, p99: number): PhaseRecord {
  const latencyMs = { count: 10, min: 1, mean: 2, p50: 2, p90: 3, p95: 3, p99, p999: p99, max: p99 };
  return {
    server,
    clients,
    phase: name,
    rate: name === 'max' ? 0 : 10,
    healthyClients: clients,
    stalledClients: 0,
    sent: 10,
    expected: 10 * clients,
    delivered: 10 * clients,
    wallMs: 1000,
    messagesPerSec: 10,
    deliveriesPerSec: 10 * clients,
    latencyMs,
    serverCpuMs: 1,
    serverCpuPercent: 50,
    cpuPerDeliveryUs: cpu,
    sysPerDeliveryUs: cpu / 2,
    serverRssMb: 100,
    workerCpuPercent: [20, 20],
    publisherCpuPercent: 5,
    machineCpuPercent: 100,
    saturated: 'none',
    bytesPerDelivery: 200,
    closedClients: 0,
    publishFailures: 0,
    stalledDropped: 0,
    curve: [
      [1, 50],
      [p99, 100],
    ],
  };
}

function memory(server: ServerKind, clients: number, kb: number): MemoryRecord {
  return {
    server,
    clients,
    connected: clients,
    failed: 0,
    errors: [],
    connectMs: 100,
    baseRssMb: 100,
    rssMb: 150,
    rssPerConnectionKb: kb,
    heapPerConnectionKb: kb / 2,
  };
}

function report(phases: PhaseRecord[], memoryRecords: MemoryRecord[] = []): BenchReport {
  return {
    plan: 'default',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationSec: 1,
    machine: {
      cpuModel: 'test',
      cores: 2,
      memoryGb: 1,
      node: 'v20',
      kernel: 'Linux',
      loadAverage: [0, 0, 0],
    },
    servers: ['ws-plain', 'ws-preframed', 'socketio', 'trendstream'],
    workers: 2,
    messageBytes: 200,
    phases,
    memory: memoryRecords,
    targets: [],
    notes: [],
  };
}

function verdict(r: BenchReport, prefix: string): boolean | undefined {
  return checkTargets(r, DEFAULT_PLAN).find((t) => t.target.startsWith(prefix))?.met;
}

describe('checkTargets', () => {
  it('compares CPU per delivery at max rate with the best raw ws variant and with Socket.IO', () => {
    const base = [
      phase('ws-plain', 1000, 'max', 10, 5),
      phase('ws-preframed', 1000, 'max', 6, 5),
      phase('socketio', 1000, 'max', 12, 5),
    ];
    expect(
      verdict(report([...base, phase('trendstream', 1000, 'max', 5.4, 5)]), 'server CPU per delivery ≤ 0.9×'),
    ).toBe(true);
    expect(
      verdict(report([...base, phase('trendstream', 1000, 'max', 5.5, 5)]), 'server CPU per delivery ≤ 0.9×'),
    ).toBe(false);
    expect(
      verdict(report([...base, phase('trendstream', 1000, 'max', 5.5, 5)]), 'server CPU per delivery ≤ 0.5×'),
    ).toBe(true);
    expect(verdict(report(base), 'server CPU per delivery ≤ 0.9×')).toBeUndefined();
  });

  it('checks the two p99 targets at C=5000', () => {
    const r = report([
      phase('ws-preframed', 5000, '10 msg/s', 6, 40),
      phase('trendstream', 5000, '10 msg/s', 6, 41),
      phase('trendstream', 5000, '1 msg/s', 6, 49),
    ]);
    expect(verdict(r, 'p99 at C=5000, 10 msg/s')).toBe(false);
    expect(verdict(r, 'p99 < 50 ms')).toBe(true);
  });

  it('judges idle memory at the largest C, and not below 5000', () => {
    const small = [memory('ws-plain', 1000, 2), memory('trendstream', 1000, 20)];
    expect(verdict(report([], small), 'memory per idle')).toBeUndefined();
    const large = [
      ...small,
      memory('ws-plain', 10_000, 6),
      memory('ws-preframed', 10_000, 5),
      memory('trendstream', 10_000, 6),
    ];
    expect(verdict(report([], large), 'memory per idle')).toBe(true);
  });

  it('renders the tables and the HTML page from the same records', () => {
    const r = report([phase('ws-preframed', 1000, 'max', 6, 5), phase('trendstream', 1000, 'max', 3, 4)]);
    r.targets = checkTargets(r, DEFAULT_PLAN);
    const text = renderTables(r);
    expect(text).toContain('TrendStream ÷ baseline');
    expect(text).toContain('0.5 · 0.8 · 1');
    const html = renderHtml(r);
    expect(html).toContain('<polyline');
    expect(html).toContain('C = 1000, max');
  });

  it('judges batch publishing at 50 µs per publication, and only the scenarios that ran', () => {
    const http = (mode: 'single' | 'batch', window: number, cpu: number): HttpPublishRecord => ({
      mode,
      perRequest: mode === 'batch' ? 100 : 1,
      window,
      subscribers: 4,
      requests: 10,
      publications: mode === 'batch' ? 1000 : 10,
      failures: 0,
      delivered: 40,
      expected: 40,
      wallMs: 1000,
      publicationsPerSec: 1000,
      serverCpuMs: 10,
      serverCpuPercent: 50,
      cpuPerPublicationUs: cpu,
      sysPerPublicationUs: cpu / 4,
    });
    const r = report([]);
    r.scenarios = ['http-publish'];
    r.httpPublish = [
      http('single', 1, 200),
      http('single', 16, 70),
      http('batch', 1, 12),
      http('batch', 4, 9),
    ];
    const targets = checkTargets(r, DEFAULT_PLAN);
    expect(targets.map((t) => t.issue)).toEqual([11]);
    expect(targets[0].met).toBe(true);
    r.httpPublish[2] = http('batch', 1, 51);
    expect(verdict(r, 'HTTP batch publish')).toBe(false);
    r.httpPublish = [http('single', 1, 200)];
    expect(verdict(r, 'HTTP batch publish')).toBeUndefined();
    r.httpPublish = [http('single', 1, 200), http('batch', 1, 10)];
    r.targets = checkTargets(r, DEFAULT_PLAN);
    const text = renderTables(r);
    expect(text).toContain('single ÷ batch, one request at a time: 20× the server CPU per publication');
    expect(text).toContain('Targets (issue 11)');
    expect(text).not.toContain('Fan-out');
  });

  it('reports the proxies against no proxy as ratios', () => {
    const latency = (p99: number) => ({
      count: 10,
      min: 0,
      mean: 1,
      p50: 1,
      p90: 1,
      p95: 1,
      p99,
      p999: p99,
      max: p99,
    });
    const r = report([]);
    r.scenarios = ['backend'];
    r.connectRate = [
      {
        mode: 'no proxy',
        connections: 100,
        failed: 0,
        errors: [],
        elapsedMs: 100,
        connectionsPerSec: 1000,
        serverCpuMs: 30,
        cpuPerConnectionUs: 300,
        backendCalls: 0,
      },
      {
        mode: 'connect proxy',
        connections: 100,
        failed: 0,
        errors: [],
        elapsedMs: 200,
        connectionsPerSec: 500,
        serverCpuMs: 60,
        cpuPerConnectionUs: 600,
        backendCalls: 100,
      },
    ];
    r.proxiedPublish = [
      {
        mode: 'direct',
        channel: 'plain:b',
        rate: 500,
        sent: 10,
        acked: 10,
        failures: 0,
        subscribers: 4,
        ackLatencyMs: latency(2),
        deliveryLatencyMs: latency(2),
        cpuPerPublicationUs: 100,
        backendCalls: 0,
      },
      {
        mode: 'publish proxy',
        channel: 'orders:b',
        rate: 500,
        sent: 10,
        acked: 10,
        failures: 0,
        subscribers: 4,
        ackLatencyMs: latency(6),
        deliveryLatencyMs: latency(8),
        cpuPerPublicationUs: 300,
        backendCalls: 10,
      },
    ];
    r.targets = checkTargets(r, DEFAULT_PLAN);
    expect(r.targets.map((t) => t.measured.split(' ')[0])).toEqual(['0.5×', '3×']);
    const text = renderTables(r);
    expect(text).toContain('0.5× the connections/s, 2× the server CPU per connection');
    expect(text).toContain('proxied ÷ direct: p99 3× (ack), 4× (delivery)');
  });
});
