/** Proxy calls to the application backend in /metrics, registered in the server's own registry. */
import { Counter, Histogram, type Registry } from 'prom-client';

/** Latency buckets (seconds) for one HTTP call to the application backend: proxies and webhook POSTs. */
export const BACKEND_CALL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class BackendMetrics {
  /** `result`: ok (2xx with JSON), timeout, busy (too many in flight), network, status (non-2xx), bad_reply. */
  readonly calls: Counter<'proxy' | 'result'>;
  /** Answers read from the backend that said no (`refused`) or did not fit the proxy's shape (`invalid`). */
  readonly replies: Counter<'proxy' | 'reply'>;
  readonly duration: Histogram<'proxy'>;

  constructor(registry: Registry) {
    this.calls = new Counter({
      name: 'trendstream_proxy_calls_total',
      help: 'Calls to the application backend, by proxy and result',
      labelNames: ['proxy', 'result'],
      registers: [registry],
    });
    this.replies = new Counter({
      name: 'trendstream_proxy_replies_total',
      help: 'Backend answers that refused the request or did not fit the proxy reply shape',
      labelNames: ['proxy', 'reply'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'trendstream_proxy_duration_seconds',
      help: 'Latency of calls to the application backend, by proxy',
      labelNames: ['proxy'],
      buckets: BACKEND_CALL_BUCKETS,
      registers: [registry],
    });
  }
}
