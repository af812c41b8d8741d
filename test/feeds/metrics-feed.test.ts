import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricsFeed } from '../../src/feeds/metrics-feed.ts';
import type { MetricsPayload } from '../../src/protocol/payloads.ts';
import type { SystemSample, SystemSampler } from '../../src/feeds/system-sampler.ts';
import { recordingContext } from './recording-context.ts';

const METRIC_FIELDS = [
  'timestamp',
  'cpu',
  'memory',
  'memory_used_bytes',
  'memory_total_bytes',
  'network_sent',
  'network_recv',
  'network_sent_rate',
  'network_recv_rate',
  'load_average',
  'disk',
  'uptime_seconds',
  'data',
  'connections',
];

/** A host whose CPU reads the given values, one per sample (then the last one forever). */
function scriptedHost(cpuReadings: number[]): SystemSampler {
  let index = 0;
  return {
    sample(): Promise<SystemSample> {
      const cpu = cpuReadings[Math.min(index, cpuReadings.length - 1)] ?? 0;
      index += 1;
      return Promise.resolve({
        cpu,
        memory: 40,
        memory_used_bytes: 4e9,
        memory_total_bytes: 1e10,
        network_sent: 1000,
        network_recv: 2000,
        network_sent_rate: 10,
        network_recv_rate: 20,
        load_average: [0.5, 0.4, 0.3],
        disk: 20,
        uptime_seconds: 100,
      });
    },
  };
}

function repeat(value: number, times: number): number[] {
  return new Array<number>(times).fill(value);
}

describe('MetricsFeed', () => {
  let feed: MetricsFeed | undefined;

  afterEach(() => {
    feed?.stop();
    vi.useRealTimers();
  });

  it('publishes real host metrics with the hub’s own numbers', async () => {
    const recording = recordingContext({ deliveryRate: 1234, connections: 7 });
    feed = new MetricsFeed();
    feed.start(recording.context);
    await vi.waitFor(() => expect(recording.on('metrics').length).toBeGreaterThan(0), { timeout: 5000 });
    feed.stop();

    const payload = recording.on('metrics')[0]?.data as MetricsPayload;
    for (const field of METRIC_FIELDS) expect(payload).toHaveProperty(field);
    expect(payload.data).toBe(1234);
    expect(payload.connections).toBe(7);
    expect(Date.now() - Date.parse(payload.timestamp)).toBeLessThan(5000);
    expect(payload.cpu).toBeGreaterThanOrEqual(0);
    expect(payload.cpu).toBeLessThanOrEqual(100);
    expect(payload.memory_total_bytes).toBeGreaterThan(0);
    // The network figures name their interfaces; loopback (in = out by construction) is left out.
    expect(payload.interfaces?.length).toBeGreaterThan(0);
    expect(payload.interfaces).not.toContain('lo');
    expect(recording.problems).toEqual([]);
  });

  it('keeps loopback available on request', async () => {
    const recording = recordingContext();
    feed = new MetricsFeed({ interfaces: 'all' });
    feed.start(recording.context);
    await vi.waitFor(() => expect(recording.on('metrics').length).toBeGreaterThan(0), { timeout: 5000 });
    feed.stop();
    expect((recording.on('metrics')[0]?.data as MetricsPayload).interfaces).toContain('lo');
  });

  it('samples once per second, starting at once', async () => {
    vi.useFakeTimers({ now: Date.parse('2025-03-01T00:00:00.000Z') });
    const recording = recordingContext();
    feed = new MetricsFeed({ sampler: scriptedHost([10]) });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(0);
    expect(recording.on('metrics')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(9999);
    expect(recording.on('metrics')).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(1);
    const timestamps = recording.on('metrics').map((p) => (p.data as MetricsPayload).timestamp);
    expect(timestamps).toHaveLength(11);
    expect(timestamps[10]).toBe('2025-03-01T00:00:10.000Z');
  });

  it('raises a CPU alert above the threshold, not every second, and reports recovery', async () => {
    vi.useFakeTimers({ now: 0 });
    // 3 s normal, 70 s high, 2 s normal, then high again.
    const readings: number[] = [...repeat(20, 3), ...repeat(95, 70), 30, 30, ...repeat(97, 100)];
    const recording = recordingContext();
    feed = new MetricsFeed({ sampler: scriptedHost(readings), cpuAlertPercent: 90, alertCooldownMs: 60_000 });
    feed.start(recording.context);
    await vi.advanceTimersByTimeAsync(2000);
    expect(recording.activities).toEqual([]);

    await vi.advanceTimersByTimeAsync(1000); // t=3 s: first reading above 90
    expect(recording.activities).toHaveLength(1);
    expect(recording.activities[0]).toMatchObject({
      level: 'warn',
      kind: 'cpu_alert',
      data: { cpu: 95, threshold: 90 },
    });
    expect(recording.activities[0]?.message).toBe('CPU at 95.0% (alert above 90%)');

    await vi.advanceTimersByTimeAsync(59_000); // still high, within the cooldown
    expect(recording.activities).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000); // t=63 s: cooldown over, still high → reminder
    expect(recording.activities.map((a) => a.kind)).toEqual(['cpu_alert', 'cpu_alert']);

    await vi.advanceTimersByTimeAsync(10_000); // t=73 s: back to 30
    expect(recording.activities.map((a) => a.kind)).toEqual(['cpu_alert', 'cpu_alert', 'cpu_recovered']);
    expect(recording.activities[2]).toMatchObject({
      level: 'success',
      data: { cpu: 30, threshold: 90 },
    });

    await vi.advanceTimersByTimeAsync(2000); // t=75 s: high again, but the last alert was 12 s ago
    expect(recording.activities).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(50_000); // t=125 s: 62 s after the last alert
    expect(recording.activities.map((a) => a.kind)).toEqual([
      'cpu_alert',
      'cpu_alert',
      'cpu_recovered',
      'cpu_alert',
    ]);
  });

  it('rejects a threshold outside (0, 100]', () => {
    expect(() => new MetricsFeed({ cpuAlertPercent: 0 })).toThrow(/cpuAlertPercent/);
    expect(() => new MetricsFeed({ cpuAlertPercent: 150 })).toThrow(/cpuAlertPercent/);
  });
});
