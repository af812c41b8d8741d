/**
 * One HTTP endpoint of the application's backend (a connect, subscribe, publish or RPC proxy, or the
 * webhook receiver): JSON POSTs over keep-alive connections (Node's fetch pools them), each with a
 * timeout and an `X-TrendStream-Request-Id`, at most `maxInFlight` at a time so a slow backend costs
 * its callers an error, never the event loop a pile of waiting requests. Calls, errors and latency
 * are counted per endpoint in /metrics.
 */
import { randomUUID } from 'node:crypto';
import type { BackendMetrics } from './backend-metrics.ts';

/** The backend could not be asked, or its answer could not be read: the caller may retry later. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
  constructor(
    readonly endpoint: string,
    readonly reason: 'timeout' | 'busy' | 'network' | 'status' | 'bad_reply',
    message: string,
  ) {
    super(message);
  }
}

export interface BackendClientOptions {
  /** Label in metrics and logs: `connect`, `subscribe`, `publish`, `rpc`. */
  name: string;
  url: string;
  timeoutMs: number;
  maxInFlight: number;
  metrics: BackendMetrics;
}

export class BackendClient {
  #inFlight = 0;

  constructor(private readonly options: BackendClientOptions) {}

  /** POSTs `body` as JSON and returns the parsed JSON reply of a 2xx; throws BackendUnavailableError. */
  async call(body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const { name, url, timeoutMs, maxInFlight, metrics } = this.options;
    if (this.#inFlight >= maxInFlight) {
      metrics.calls.inc({ proxy: name, result: 'busy' });
      throw new BackendUnavailableError(
        name,
        'busy',
        `${name} proxy: ${maxInFlight} calls already in flight`,
      );
    }
    this.#inFlight += 1;
    const started = performance.now();
    let result = 'ok';
    try {
      return await this.#post(url, body, headers, timeoutMs);
    } catch (error) {
      result = error instanceof BackendUnavailableError ? error.reason : 'network';
      throw error;
    } finally {
      this.#inFlight -= 1;
      metrics.calls.inc({ proxy: name, result });
      metrics.duration.observe({ proxy: name }, (performance.now() - started) / 1000);
    }
  }

  async #post(
    url: string,
    body: unknown,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<unknown> {
    const { name } = this.options;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-trendstream-request-id': randomUUID(),
          ...headers,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new BackendUnavailableError(
        name,
        timedOut ? 'timeout' : 'network',
        timedOut ? `${name} proxy: no answer within ${timeoutMs} ms` : `${name} proxy: ${describe(error)}`,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new BackendUnavailableError(
        name,
        timedOut ? 'timeout' : 'network',
        `${name} proxy: ${describe(error)}`,
      );
    }
    if (!response.ok) {
      throw new BackendUnavailableError(name, 'status', `${name} proxy answered HTTP ${response.status}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BackendUnavailableError(
        name,
        'bad_reply',
        `${name} proxy answered something that is not JSON`,
      );
    }
  }
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
