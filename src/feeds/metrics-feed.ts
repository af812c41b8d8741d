/**
 * The `metrics` feed: at start and then every second a host sample (CPU, memory, network over the
 * external interfaces by default, load, disk, uptime) plus the hub's own numbers (messages delivered
 * per second as the `data` series, and connections), published on `metrics`. CPU above `cpuAlertPercent` raises a `cpu_alert` activity entry, rate-limited by a
 * cooldown, and a `cpu_recovered` entry when it falls back.
 */
import { Channel } from '../protocol/channels.ts';
import { isoTime, systemClock, type Clock } from './clock.ts';
import { activityLogged, publishLogged } from './feed-output.ts';
import type { CpuAlertData, MetricsPayload } from '../protocol/payloads.ts';
import {
  SystemInformationSampler,
  type NetworkInterfaceSelection,
  type SystemSampler,
} from './system-sampler.ts';
import { ThresholdAlarm } from './threshold-alarm.ts';
import { startTicker, type Ticker } from './ticker.ts';
import type { Feed, FeedContext } from './types.ts';

export interface MetricsFeedOptions {
  /** Default: systeminformation on this host. */
  sampler?: SystemSampler;
  /** Which network interfaces the default sampler sums; default `external` (loopback left out). */
  interfaces?: NetworkInterfaceSelection;
  /** Default 1000 ms. */
  intervalMs?: number;
  /** CPU % above which an alert is raised; default 90. */
  cpuAlertPercent?: number;
  /** Least time between two CPU alerts; default 60 s. */
  alertCooldownMs?: number;
  clock?: Clock;
}

export class MetricsFeed implements Feed {
  readonly name = 'metrics';
  readonly #sampler: SystemSampler;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  readonly #alarm: ThresholdAlarm;
  #ticker: Ticker | undefined;
  /** Bumped on every start and stop, so a sample still in flight from an earlier run is dropped. */
  #generation = 0;

  constructor(options: MetricsFeedOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#sampler =
      options.sampler ?? new SystemInformationSampler({ clock: this.#clock, interfaces: options.interfaces });
    this.#intervalMs = options.intervalMs ?? 1000;
    const threshold = options.cpuAlertPercent ?? 90;
    if (!(threshold > 0 && threshold <= 100))
      throw new Error(`cpuAlertPercent must be in (0, 100], got ${threshold}`);
    this.#alarm = new ThresholdAlarm({
      threshold,
      cooldownMs: options.alertCooldownMs ?? 60_000,
      clock: this.#clock,
    });
  }

  start(context: FeedContext): void {
    if (this.#ticker) throw new Error('metrics feed already started');
    const onError = (error: unknown): void => context.log.warn({ err: error }, 'metrics sample failed');
    const generation = ++this.#generation;
    const tick = (): Promise<void> => this.#tick(context, generation);
    this.#ticker = startTicker(this.#intervalMs, tick, onError, { immediate: true });
  }

  stop(): void {
    this.#generation += 1;
    this.#ticker?.stop();
    this.#ticker = undefined;
  }

  async #tick(context: FeedContext, generation: number): Promise<void> {
    const sample = await this.#sampler.sample();
    if (generation !== this.#generation) return; // stopped while sampling
    const payload: MetricsPayload = {
      timestamp: isoTime(this.#clock),
      ...sample,
      data: context.deliveryRate(),
      connections: context.connectionCount(),
    };
    await publishLogged(context, Channel.Metrics, payload);
    await this.#checkCpu(context, payload.cpu);
  }

  async #checkCpu(context: FeedContext, cpu: number): Promise<void> {
    const transition = this.#alarm.update(cpu);
    if (!transition) return;
    const threshold = this.#alarm.threshold;
    const data: CpuAlertData = { cpu, threshold };
    if (transition === 'raise') {
      await activityLogged(context, {
        level: 'warn',
        kind: 'cpu_alert',
        message: `CPU at ${cpu.toFixed(1)}% (alert above ${threshold}%)`,
        data,
      });
    } else {
      await activityLogged(context, {
        level: 'success',
        kind: 'cpu_recovered',
        message: `CPU back to ${cpu.toFixed(1)}% (below ${threshold}%)`,
        data,
      });
    }
  }
}
