/**
 * Reads the host's numbers for the `metrics` feed from `systeminformation` and node:os: CPU %,
 * memory, network totals and per-second rates, load average, root-filesystem use, uptime and (where
 * a sensor exists) CPU temperature. The metrics feed depends only on the `SystemSampler` interface.
 *
 * Network counters are summed over all interfaces, loopback included (as psutil's totals are), so a
 * local demo shows the hub's own traffic. Rates are computed here from the totals and the clock
 * rather than taken from systeminformation, whose rates are null on the first call and shared
 * between all callers in the process.
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import si from 'systeminformation';
import type { MetricsPayload } from '../protocol/payloads.ts';
import { systemClock, type Clock } from './clock.ts';

/** The host part of a MetricsPayload: everything but the timestamp and the hub's own numbers. */
export type SystemSample = Omit<MetricsPayload, 'timestamp' | 'data' | 'connections'>;

export interface SystemSampler {
  sample(): Promise<SystemSample>;
}

export interface SystemInformationSamplerOptions {
  /** Disk use changes slowly and costs a `df` process: re-read at most this often; default 10 s. */
  diskRefreshMs?: number;
  /** Where a thermal zone reports millidegrees; default the first Linux thermal zone. */
  temperaturePath?: string;
  clock?: Clock;
}

interface NetworkReading {
  sent: number;
  recv: number;
  at: number;
}

export class SystemInformationSampler implements SystemSampler {
  readonly #diskRefreshMs: number;
  readonly #temperaturePath: string;
  readonly #clock: Clock;
  #lastNetwork: NetworkReading | undefined;
  #disk: { percent: number; at: number } | undefined;

  constructor(options: SystemInformationSamplerOptions = {}) {
    this.#diskRefreshMs = options.diskRefreshMs ?? 10_000;
    this.#temperaturePath = options.temperaturePath ?? '/sys/class/thermal/thermal_zone0/temp';
    this.#clock = options.clock ?? systemClock;
  }

  async sample(): Promise<SystemSample> {
    const [load, memory, networks, disk, temperature] = await Promise.all([
      si.currentLoad(),
      si.mem(),
      si.networkStats('*'),
      this.#diskPercent(),
      readTemperature(this.#temperaturePath),
    ]);
    const network = this.#network(networks);
    const [one, five, fifteen] = loadavg();
    const sample: SystemSample = {
      cpu: round1(clampPercent(load.currentLoad)),
      memory: round1(clampPercent(((memory.total - memory.available) / memory.total) * 100)),
      memory_used_bytes: memory.total - memory.available,
      memory_total_bytes: memory.total,
      ...network,
      load_average: [round2(one ?? 0), round2(five ?? 0), round2(fifteen ?? 0)],
      disk,
      uptime_seconds: Math.round(si.time().uptime),
    };
    if (temperature !== undefined) sample.temperature = temperature;
    return sample;
  }

  #network(
    interfaces: readonly { rx_bytes: number; tx_bytes: number }[],
  ): Pick<SystemSample, 'network_sent' | 'network_recv' | 'network_sent_rate' | 'network_recv_rate'> {
    const now: NetworkReading = { sent: 0, recv: 0, at: this.#clock() };
    for (const entry of interfaces) {
      now.sent += entry.tx_bytes;
      now.recv += entry.rx_bytes;
    }
    const last = this.#lastNetwork;
    this.#lastNetwork = now;
    const seconds = last ? (now.at - last.at) / 1000 : 0;
    return {
      network_sent: now.sent,
      network_recv: now.recv,
      network_sent_rate: last && seconds > 0 ? perSecond(now.sent - last.sent, seconds) : 0,
      network_recv_rate: last && seconds > 0 ? perSecond(now.recv - last.recv, seconds) : 0,
    };
  }

  async #diskPercent(): Promise<number> {
    const cached = this.#disk;
    if (cached && this.#clock() - cached.at < this.#diskRefreshMs) return cached.percent;
    const filesystems = await si.fsSize();
    const root = filesystems.find((fs) => fs.mount === '/') ?? largest(filesystems);
    const percent = root ? round1(clampPercent(root.use)) : 0;
    this.#disk = { percent, at: this.#clock() };
    return percent;
  }
}

/** °C from a Linux thermal zone, or undefined when there is none (typical in VMs and containers). */
async function readTemperature(path: string): Promise<number | undefined> {
  try {
    const millidegrees = Number((await readFile(path, 'utf8')).trim());
    return Number.isFinite(millidegrees) && millidegrees > 0 ? round1(millidegrees / 1000) : undefined;
  } catch {
    return undefined;
  }
}

function largest<T extends { size: number }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) if (!best || item.size > best.size) best = item;
  return best;
}

/** A counter that went backwards (interface reset) reads as no traffic, not a negative rate. */
function perSecond(delta: number, seconds: number): number {
  return delta > 0 ? Math.round(delta / seconds) : 0;
}

function clampPercent(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
