/**
 * Reads the host's numbers for the `metrics` feed from `systeminformation` and node:os: CPU %,
 * memory, network totals and per-second rates, load average, root-filesystem use, uptime and (where
 * a sensor exists) CPU temperature. The metrics feed depends only on the `SystemSampler` interface.
 *
 * Network counters are summed over the interfaces `selectInterfaces` picks, named in the sample's
 * `interfaces`. By default those are the host's external interfaces: loopback is left out, since
 * every byte over it is both sent and received (summing it made "in" always equal "out"), and so
 * are Linux bridges and veth pairs, whose traffic also crosses a physical interface. `all` (loopback
 * included, as psutil's totals are), `default` (the default route's interface) or a list of names
 * choose otherwise. Rates are computed here, per interface, from the totals and the clock rather
 * than taken from systeminformation, whose rates are null on the first call and shared between all
 * callers in the process.
 */
import { existsSync } from 'node:fs';
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

/**
 * Which interfaces the network figures sum: `external` (default: every interface but loopback,
 * bridges and veth pairs; the default route's interface if that leaves none), `default` (the
 * default route's interface), `all` (loopback included), or the interfaces named.
 */
export type NetworkInterfaceSelection = 'external' | 'default' | 'all' | readonly string[];

export const NETWORK_INTERFACE_MODES = ['external', 'default', 'all'] as const;

/** What the selection needs to know of an interface (a subset of systeminformation's answer). */
export interface InterfaceInfo {
  iface: string;
  /** Loopback. */
  internal: boolean;
  /** Carries the default route. */
  default: boolean;
  /** A Linux bridge (its traffic is also counted on the ports it bridges). */
  bridge?: boolean;
}

/** The names of the interfaces whose counters a sample sums, in the order listed. */
export function selectInterfaces(
  available: readonly InterfaceInfo[],
  selection: NetworkInterfaceSelection = 'external',
): string[] {
  const names = (list: readonly InterfaceInfo[]): string[] => unique(list.map((info) => info.iface));
  if (selection === 'all') return names(available);
  const outside = available.filter((info) => !isLoopback(info));
  const byDefault = outside.filter((info) => info.default);
  if (selection === 'default') return names(byDefault.length > 0 ? byDefault : outside.slice(0, 1));
  if (selection === 'external') {
    const external = outside.filter((info) => !info.bridge && !info.iface.startsWith('veth'));
    if (external.length > 0) return names(external);
    return names(byDefault.length > 0 ? byDefault : outside);
  }
  const wanted = new Set(selection);
  return names(available.filter((info) => wanted.has(info.iface)));
}

/**
 * The text of a setting (`external`, `default`, `all` or comma-separated interface names) as a
 * selection; throws on an empty list.
 */
export function parseInterfaceSelection(text: string): NetworkInterfaceSelection {
  const trimmed = text.trim();
  if ((NETWORK_INTERFACE_MODES as readonly string[]).includes(trimmed)) {
    return trimmed as (typeof NETWORK_INTERFACE_MODES)[number];
  }
  const names = trimmed
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new Error('an interface selection needs external, default, all or names');
  return names;
}

function isLoopback(info: InterfaceInfo): boolean {
  return info.internal || info.iface === 'lo' || /loopback/i.test(info.iface);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export interface SystemInformationSamplerOptions {
  /** Which interfaces the network figures cover; default `external`. */
  interfaces?: NetworkInterfaceSelection;
  /** Disk use changes slowly and costs a `df` process: re-read at most this often; default 10 s. */
  diskRefreshMs?: number;
  /** Where a thermal zone reports millidegrees; default the first Linux thermal zone. */
  temperaturePath?: string;
  clock?: Clock;
}

interface NetworkReading {
  /** Counters per interface. */
  counters: Map<string, { sent: number; recv: number }>;
  at: number;
}

type NetworkFigures = Pick<
  SystemSample,
  'network_sent' | 'network_recv' | 'network_sent_rate' | 'network_recv_rate' | 'interfaces'
>;

export class SystemInformationSampler implements SystemSampler {
  readonly #diskRefreshMs: number;
  readonly #temperaturePath: string;
  readonly #clock: Clock;
  readonly #interfaces: NetworkInterfaceSelection;
  #lastNetwork: NetworkReading | undefined;
  #disk: { percent: number; at: number } | undefined;

  constructor(options: SystemInformationSamplerOptions = {}) {
    this.#diskRefreshMs = options.diskRefreshMs ?? 10_000;
    this.#temperaturePath = options.temperaturePath ?? '/sys/class/thermal/thermal_zone0/temp';
    this.#clock = options.clock ?? systemClock;
    this.#interfaces = options.interfaces ?? 'external';
  }

  async sample(): Promise<SystemSample> {
    const [load, memory, network, disk, temperature] = await Promise.all([
      si.currentLoad(),
      si.mem(),
      this.#network(),
      this.#diskPercent(),
      readTemperature(this.#temperaturePath),
    ]);
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

  /** The selected interfaces' totals and rates (each interface against its own last reading). */
  async #network(): Promise<NetworkFigures> {
    const interfaces = selectInterfaces(await listInterfaces(), this.#interfaces);
    // networkStats('') would read the default interface: an empty selection reads nothing.
    const stats = interfaces.length > 0 ? await si.networkStats(interfaces.join(',')) : [];
    const now: NetworkReading = { counters: new Map(), at: this.#clock() };
    for (const entry of stats) now.counters.set(entry.iface, { sent: entry.tx_bytes, recv: entry.rx_bytes });
    const last = this.#lastNetwork;
    this.#lastNetwork = now;
    const seconds = last ? (now.at - last.at) / 1000 : 0;
    const figures: NetworkFigures = {
      network_sent: 0,
      network_recv: 0,
      network_sent_rate: 0,
      network_recv_rate: 0,
      interfaces,
    };
    let sentDelta = 0;
    let recvDelta = 0;
    for (const [iface, counters] of now.counters) {
      figures.network_sent += counters.sent;
      figures.network_recv += counters.recv;
      const before = last?.counters.get(iface);
      // An interface new since the last sample has no rate yet; one reset reads as no traffic.
      if (before) {
        sentDelta += Math.max(0, counters.sent - before.sent);
        recvDelta += Math.max(0, counters.recv - before.recv);
      }
    }
    if (seconds > 0) {
      figures.network_sent_rate = perSecond(sentDelta, seconds);
      figures.network_recv_rate = perSecond(recvDelta, seconds);
    }
    return figures;
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

/**
 * The host's interfaces as systeminformation lists them (cached by it until the set of addresses
 * changes), each marked when it is a Linux bridge.
 */
export async function listInterfaces(): Promise<InterfaceInfo[]> {
  const listed = await si.networkInterfaces(false);
  return (Array.isArray(listed) ? listed : [listed]).map((entry) => ({
    iface: entry.iface,
    internal: entry.internal,
    default: entry.default,
    bridge: isLinuxBridge(entry.iface),
  }));
}

const bridges = new Map<string, boolean>();

function isLinuxBridge(iface: string): boolean {
  let known = bridges.get(iface);
  if (known === undefined) {
    known =
      process.platform === 'linux' && !iface.includes('/') && existsSync(`/sys/class/net/${iface}/bridge`);
    bridges.set(iface, known);
  }
  return known;
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
