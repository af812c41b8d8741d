/**
 * Prometheus metrics of one server, in its own registry (so several servers in one test process
 * don't collide). Hot-path counts are plain numbers read at scrape time, not prom-client calls per
 * delivery: a fan-out to 10 000 clients adds one integer.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { NodeLifecycle } from './node-lifecycle.ts';
import { VERSION } from './version.ts';

export class HubMetrics {
  readonly registry = new Registry();
  /** Frames written to clients (each subscriber of each publication counts once). */
  deliveries = 0;
  bytesOut = 0;
  messagesIn = 0;
  bytesIn = 0;
  connections = 0;
  readonly publications: Counter;
  readonly conflated: Counter;
  readonly rateLimited: Counter;
  readonly errors: Counter<'code'>;
  readonly closes: Counter<'code'>;

  constructor() {
    const registry = this.registry;
    collectDefaultMetrics({ register: registry, prefix: 'trendstream_' });
    const read = (name: string, help: string, value: () => number, kind: 'gauge' | 'counter'): void => {
      if (kind === 'gauge') {
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(value());
          },
        });
      } else {
        // A counter whose value is owned elsewhere: reset and add the running total at scrape time.
        new Counter({
          name,
          help,
          registers: [registry],
          collect() {
            this.reset();
            this.inc(value());
          },
        });
      }
    };
    read('trendstream_connections', 'Open WebSocket connections', () => this.connections, 'gauge');
    read('trendstream_messages_out_total', 'Frames delivered to clients', () => this.deliveries, 'counter');
    read('trendstream_bytes_out_total', 'Bytes written to client sockets', () => this.bytesOut, 'counter');
    read('trendstream_messages_in_total', 'Frames received from clients', () => this.messagesIn, 'counter');
    read('trendstream_bytes_in_total', 'Bytes received from clients', () => this.bytesIn, 'counter');
    this.publications = new Counter({
      name: 'trendstream_publications_total',
      help: 'Publications accepted',
      registers: [registry],
    });
    this.conflated = new Counter({
      name: 'trendstream_conflated_total',
      help: 'Frames replaced by a newer one for a slow client',
      registers: [registry],
    });
    this.rateLimited = new Counter({
      name: 'trendstream_rate_limited_total',
      help: 'Client frames dropped by the rate limit',
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'trendstream_error_frames_total',
      help: 'Error frames sent, by code',
      labelNames: ['code'],
      registers: [registry],
    });
    this.closes = new Counter({
      name: 'trendstream_server_closes_total',
      help: 'Connections closed by the server, by close code (4000 = slow consumer)',
      labelNames: ['code'],
      registers: [registry],
    });
  }

  /** `trendstream_node_info{node, version} 1` and `trendstream_draining` (1 while the node drains). */
  describeNode(node: NodeLifecycle): void {
    new Gauge({
      name: 'trendstream_node_info',
      help: "This node's id (as in connection frames and /healthz) and version; always 1",
      labelNames: ['node', 'version'],
      registers: [this.registry],
      collect() {
        this.reset();
        this.set({ node: node.id, version: VERSION }, 1);
      },
    });
    new Gauge({
      name: 'trendstream_draining',
      help: '1 while the node drains before shutting down (SIGTERM), else 0',
      registers: [this.registry],
      collect() {
        this.set(node.draining ? 1 : 0);
      },
    });
  }
}

/** Deliveries per second over the last sampled second: the metrics feed's `data` series. */
export class RateSampler {
  #last = 0;
  #lastAt = performance.now();
  #rate = 0;

  constructor(private readonly read: () => number) {}

  sample(): number {
    const now = performance.now();
    const value = this.read();
    const seconds = (now - this.#lastAt) / 1000;
    if (seconds >= 0.5) {
      this.#rate = (value - this.#last) / seconds;
      this.#last = value;
      this.#lastAt = now;
    }
    return Math.round(this.#rate);
  }
}
