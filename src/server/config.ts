/**
 * Server configuration: every option with its default in one place.
 * The CLI (src/cli/serve-options.ts) maps flags, environment variables and the config file onto this.
 */

import type { FeedSwitches } from '../feeds/feed-switches.ts';
import type { NetworkInterfaceSelection } from '../feeds/system-sampler.ts';
import { compileTrustProxy } from './client-address.ts';
import { buildNamespaceTable, type NamespacesConfig } from './namespace-config.ts';

export interface ServerConfig {
  /** TCP port for HTTP and WebSocket; 0 picks a free one. */
  port: number;
  host: string;
  /** Redis URL for the scale-out engine; empty for the embedded memory engine. */
  redisUrl: string;
  /** HS256 secret; when set, WebSocket connections must present a JWT. */
  jwtSecret: string;
  /** Bearer key for POST /api/publish; when empty the publish API is disabled. */
  apiKey: string;
  /** Allowed `Origin` header values for WebSocket upgrades; empty allows any. */
  allowedOrigins: string[];
  /** Interval of protocol pings; a connection that misses one is reaped. */
  heartbeatMs: number;
  /** Largest inbound frame, bytes (larger closes with 1009). */
  maxFrameBytes: number;
  /** Token bucket per connection: sustained messages per second and burst. */
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** Socket bytes in flight before a connection counts as slow and we queue instead of writing. */
  socketHighWaterBytes: number;
  /** Queued bytes of a slow connection before it is closed with 4000 (slow consumer). */
  maxQueuedBytes: number;
  /** Most channels one connection may subscribe to. */
  maxSubscriptionsPerConnection: number;
  /** Most connections the process accepts (beyond: HTTP 503 on upgrade). */
  maxConnections: number;
  /** Coalescing window of `client_count` pushes, ms (a burst of connects sends one count). */
  clientCountIntervalMs: number;
  /**
   * An HTTP connection silent this long is closed, and so is a request not fully received within it
   * (Node checks that one every 30 s): slow-loris protection. Upgraded WebSockets are exempt (heartbeats).
   */
  httpTimeoutMs: number;
  feeds: FeedSwitches;
  /** Seconds between trend ticks. */
  trendIntervalMs: number;
  /** CPU % above which the activity feed raises an alert. */
  cpuAlertPercent: number;
  /**
   * Network interfaces the metrics feed sums: `external` (all but loopback, bridges and veth pairs),
   * `default` (the default route's), `all` (loopback included) or the names listed.
   */
  metricsInterfaces: NetworkInterfaceSelection;
  /** Serve the web app from this folder (built by Vite); empty disables it. */
  webRoot: string;
  /** pino level; 'silent' in tests. */
  logLevel: string;
  /** Log lines as JSON (for collectors) or pretty (for a person; `serve` picks it on a terminal). */
  logFormat: 'pretty' | 'json';
  /** The application's namespaces and changes to the built-in ones (see namespace-config.ts). */
  namespaces: NamespacesConfig;
  /** Backend endpoints (POST JSON) asked when a client connects, subscribes, publishes, calls `rpc`. */
  connectProxyUrl: string;
  subscribeProxyUrl: string;
  publishProxyUrl: string;
  rpcProxyUrl: string;
  /** Request headers of the WebSocket upgrade forwarded to the connect proxy (lower case). */
  proxyHeaders: string[];
  /** A backend call slower than this fails (the client gets an error or a reconnectable close). */
  proxyTimeoutMs: number;
  /** Backend calls in flight per proxy; beyond, calls fail at once instead of piling up. */
  proxyMaxInFlight: number;
  /**
   * Accept cookie-authenticated upgrades from any Origin. Off: forwarding `cookie` to the connect proxy
   * requires `allowedOrigins`, since any page the user visits could otherwise connect as that user.
   */
  insecureAnyOrigin: boolean;
  /** Where webhook batches are POSTed; empty disables webhooks. */
  webhookUrl: string;
  /** HMAC-SHA256 key of the `X-TrendStream-Signature` header. */
  webhookSecret: string;
  /** How long a channel must stay empty (a member away) before `channel_vacated` (`member_removed`). */
  webhookDebounceMs: number;
  /** Webhook events waiting for delivery, at most; beyond, the oldest are dropped (and counted). */
  webhookMaxQueue: number;
  /** A batch the backend keeps refusing is retried, with backoff, for this long. */
  webhookRetryForMs: number;
  /** This node's name in `connection` frames, /healthz and /metrics; empty: `<hostname>:<port>`. */
  nodeId: string;
  /**
   * Addresses and CIDRs of the load balancers in front (`loopback` and the like allowed): their
   * `X-Forwarded-For` names the client. Empty: every peer is the client.
   */
  trustProxy: string[];
  /**
   * On SIGTERM, how long /healthz reports 503 (and new WebSockets are refused) before clients are
   * closed: long enough for a balancer's health check to take the node out.
   */
  drainMs: number;
  /** Then the clients are closed with 1012 spread over this window, not all in one tick. */
  drainSpreadMs: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  port: 8765,
  host: '0.0.0.0',
  redisUrl: '',
  jwtSecret: '',
  apiKey: '',
  allowedOrigins: [],
  heartbeatMs: 25_000,
  maxFrameBytes: 64 * 1024,
  rateLimitPerSecond: 50,
  rateLimitBurst: 100,
  socketHighWaterBytes: 256 * 1024,
  maxQueuedBytes: 4 * 1024 * 1024,
  maxSubscriptionsPerConnection: 128,
  maxConnections: 19_500,
  clientCountIntervalMs: 1000,
  httpTimeoutMs: 30_000,
  feeds: { trends: true, metrics: true, stocks: true, notifications: true, activity: true },
  trendIntervalMs: 3000,
  cpuAlertPercent: 90,
  metricsInterfaces: 'external',
  webRoot: '',
  logLevel: 'info',
  logFormat: 'json',
  namespaces: {},
  connectProxyUrl: '',
  subscribeProxyUrl: '',
  publishProxyUrl: '',
  rpcProxyUrl: '',
  proxyHeaders: ['cookie', 'authorization', 'origin', 'user-agent'],
  proxyTimeoutMs: 3000,
  proxyMaxInFlight: 512,
  insecureAnyOrigin: false,
  webhookUrl: '',
  webhookSecret: '',
  webhookDebounceMs: 5000,
  webhookMaxQueue: 10_000,
  webhookRetryForMs: 10 * 60_000,
  nodeId: '',
  trustProxy: [],
  // The example balancers check every 1 s and need 2 failures: down within about 2 s, plus margin.
  drainMs: 3000,
  drainSpreadMs: 500,
};

export function resolveConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    ...overrides,
    feeds: { ...DEFAULT_CONFIG.feeds, ...overrides.feeds },
  };
  if (config.rateLimitBurst < 1 || config.rateLimitPerSecond <= 0) {
    throw new Error(
      'rateLimitBurst (--rate-burst) must be at least 1 and rateLimitPerSecond (--rate-limit) above 0',
    );
  }
  if (config.maxQueuedBytes < config.maxFrameBytes) {
    throw new Error(
      'maxQueuedBytes (--max-queued-bytes) must be at least maxFrameBytes (--max-frame-bytes), ' +
        'or no large publication could be queued',
    );
  }
  const namespaces = buildNamespaceTable(config.namespaces); // throws naming the bad key
  for (const [name, options] of namespaces.entries()) {
    if (options.subscribeProxy && config.subscribeProxyUrl === '') {
      throw new Error(`namespaces.${name}.subscribe_proxy: set the backend's URL with --subscribe-proxy`);
    }
    if (options.publishProxy && config.publishProxyUrl === '') {
      throw new Error(`namespaces.${name}.publish_proxy: set the backend's URL with --publish-proxy`);
    }
  }
  config.proxyHeaders = config.proxyHeaders.map((h) => h.toLowerCase());
  try {
    compileTrustProxy(config.trustProxy);
  } catch (error) {
    throw new Error(`trustProxy (--trust-proxy): ${(error as Error).message}`, { cause: error });
  }
  if (
    config.connectProxyUrl !== '' &&
    config.proxyHeaders.includes('cookie') &&
    config.allowedOrigins.length === 0 &&
    !config.insecureAnyOrigin
  ) {
    throw new Error(
      'the connect proxy forwards cookies, so any web page could connect as your users: set allowedOrigins ' +
        '(--allowed-origins), stop forwarding cookie (--proxy-headers), or opt out with --insecure-any-origin',
    );
  }
  if (config.webhookUrl !== '' && config.webhookSecret === '') {
    throw new Error(
      'webhookUrl (--webhook-url) needs webhookSecret (--webhook-secret) to sign the webhooks with',
    );
  }
  return config;
}
