/**
 * Every setting of `trendstream serve` in one table: its config-file key, its flag and env var, the
 * TypeBox schema its value must match, and where it lands in `ServerConfig`. The flags, their env
 * vars and the config file's schema are all built from this table, so a new setting is one new row
 * here (a file-only setting, like the `namespaces` object, is a row without `flag`; its one-off flag
 * `--namespace` is serve-config.ts's, since it merges into the file's object instead of replacing it).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DEFAULT_CONFIG, type ServerConfig } from '../server/config.ts';
import {
  buildNamespaceTable,
  NamespaceConfigError,
  NamespacesConfigSchema,
  type NamespacesConfig,
} from '../server/namespace-config.ts';
import type { FeedSwitches } from '../feeds/feed-switches.ts';
import { parseInterfaceSelection } from '../feeds/system-sampler.ts';
import { BUILT_WEB_ROOT } from './web-root.ts';

/** A bad setting (file, flag or env var): `serve` prints its message as one line and exits 1. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** How a setting appears on the command line. The long flag is the key in kebab-case. */
export interface FlagSpec {
  /** Short alias, e.g. `-p`. */
  short?: string;
  /** Placeholder of the flag's argument, e.g. `<n>`; switches (boolean settings) have none. */
  arg?: string;
  /**
   * A switch of a setting that is off by default: `--insecure-any-origin` turns it on. Without this, a
   * switch turns an on-by-default setting off (`--no-web`).
   */
  turnsOn?: boolean;
  env?: string;
  help: string;
  /** The default as `--help` shows it (the value itself comes from DEFAULT_CONFIG or `cliDefault`). */
  shownDefault?: string;
}

export interface ServeOption<S extends TSchema = TSchema> {
  /** What a valid value is, completing "must be …" in error messages. */
  expected: string;
  schema: S;
  /** Turns the flag's or env var's text into a value for `schema` to check (default: as it is). */
  fromFlag?(raw: string | boolean): unknown;
  flag?: FlagSpec;
  /**
   * For a structured value (an object of objects): what is wrong with it, naming the key inside it
   * (`namespaces.orders.history_size must be …`), instead of the whole value "must be `expected`".
   */
  explain?(value: unknown): string | undefined;
  /** The CLI's own default, where it differs from DEFAULT_CONFIG (or depends on the terminal). */
  cliDefault?(): Static<S>;
  /** Writes a checked value into the server config. (Method syntax: rows of every schema fit one table.) */
  apply(config: Partial<ServerConfig>, value: Static<S>): void;
}

/** A row, with `apply` typed by its schema. */
function option<S extends TSchema>(row: ServeOption<S>): ServeOption<S> {
  return row;
}

/** The `apply` of a row whose checked value is the config field as it is. */
function into<K extends keyof ServerConfig>(
  field: K,
): (config: Partial<ServerConfig>, value: ServerConfig[K]) => void {
  return (config, value) => {
    config[field] = value;
  };
}

/** Flag/env text → number, so that the schema rejects "", "12abc" and "1.5" alike. */
function textToNumber(raw: string | boolean): unknown {
  return typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
}

function asIs(raw: string | boolean): unknown {
  return raw;
}

function integer(options: { min?: number; max?: number } = {}) {
  const min = options.min ?? 0;
  const bounds = options.max === undefined ? { minimum: min } : { minimum: min, maximum: options.max };
  const kind = min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`;
  return {
    schema: Type.Integer(bounds),
    expected: options.max === undefined ? kind : `${kind} (at most ${options.max})`,
    fromFlag: textToNumber,
  };
}

function text() {
  return { schema: Type.String(), expected: 'a string', fromFlag: asIs };
}

/** A list: a JSON array of strings in the file, or a comma-separated string anywhere. */
function list() {
  return {
    schema: Type.Union([Type.Array(Type.String()), Type.String()]),
    expected: 'an array of strings or a comma-separated string',
    fromFlag: asIs,
  };
}

/**
 * A backend endpoint: an http:// or https:// URL, or "" for none (so an empty env var switches it off,
 * as the default does).
 */
function url() {
  return {
    schema: Type.String({ pattern: '^(https?://[^\\s/?#]+([/?#]\\S*)?)?$' }),
    expected: 'an http:// or https:// URL',
    fromFlag: asIs,
  };
}

/** On/off; on the command line a `--no-<name>` switch (or `--<name>` with `turnsOn`). */
function toggle() {
  return { schema: Type.Boolean(), expected: 'true or false', fromFlag: asIs };
}

function oneOf<T extends string>(values: readonly T[]) {
  return {
    schema: Type.Union(values.map((value) => Type.Literal(value))),
    expected: `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`,
    fromFlag: asIs,
  };
}

function listItems(value: string | string[]): string[] {
  const items = typeof value === 'string' ? value.split(',') : value;
  return items.map((item) => item.trim()).filter(Boolean);
}

/** A feed switch: the other feeds keep their defaults (`resolveConfig` would too; the type wants all five). */
function feedSwitch(feed: keyof FeedSwitches, help: string) {
  return option({
    ...toggle(),
    flag: { help },
    apply(config, value) {
      config.feeds = { ...DEFAULT_CONFIG.feeds, ...config.feeds, [feed]: value };
    },
  });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['pretty', 'json'] as const;

const d = DEFAULT_CONFIG;

/** Key: the config-file key, i.e. the long flag in snake_case. Row order is `--help` order. */
export const SERVE_OPTIONS = {
  port: option({
    ...integer({ max: 65_535 }),
    flag: {
      short: '-p',
      arg: '<n>',
      env: 'PORT',
      help: 'port for HTTP and WebSocket',
      shownDefault: `${d.port}`,
    },
    apply: into('port'),
  }),
  host: option({
    ...text(),
    flag: { arg: '<addr>', env: 'HOST', help: 'address to listen on', shownDefault: d.host },
    apply: into('host'),
  }),
  redis: option({
    ...text(),
    flag: {
      arg: '<url>',
      env: 'REDIS_URL',
      help: 'Redis URL: share channels with other nodes',
      shownDefault: 'memory engine',
    },
    apply: into('redisUrl'),
  }),
  jwt_secret: option({
    ...text(),
    flag: {
      arg: '<secret>',
      env: 'JWT_SECRET',
      help: 'require HS256 JWTs signed with this',
      shownDefault: 'anonymous clients',
    },
    apply: into('jwtSecret'),
  }),
  api_key: option({
    ...text(),
    flag: {
      arg: '<key>',
      env: 'API_KEY',
      help: 'enable POST /api/publish with this bearer key',
      shownDefault: 'disabled',
    },
    apply: into('apiKey'),
  }),
  allowed_origins: option({
    ...list(),
    flag: {
      arg: '<list>',
      env: 'ALLOWED_ORIGINS',
      help: 'comma-separated Origin allow-list for WebSockets',
      shownDefault: 'any',
    },
    apply(config, value) {
      config.allowedOrigins = listItems(value);
    },
  }),
  namespaces: option({
    schema: NamespacesConfigSchema,
    expected: 'an object of namespace name → settings, or false to switch a built-in namespace off',
    explain(value) {
      try {
        buildNamespaceTable(value as NamespacesConfig);
      } catch (error) {
        if (error instanceof NamespaceConfigError) return error.message;
        throw error;
      }
      return undefined;
    },
    apply: into('namespaces'),
  }),
  connect_proxy: option({
    ...url(),
    flag: {
      arg: '<url>',
      env: 'CONNECT_PROXY',
      help: 'backend that authenticates WebSocket connections (POST JSON)',
      shownDefault: 'off',
    },
    apply: into('connectProxyUrl'),
  }),
  subscribe_proxy: option({
    ...url(),
    flag: {
      arg: '<url>',
      env: 'SUBSCRIBE_PROXY',
      help: 'backend asked before a subscribe to a namespace with subscribe_proxy',
      shownDefault: 'off',
    },
    apply: into('subscribeProxyUrl'),
  }),
  publish_proxy: option({
    ...url(),
    flag: {
      arg: '<url>',
      env: 'PUBLISH_PROXY',
      help: 'backend that checks client publications to a namespace with publish_proxy',
      shownDefault: 'off',
    },
    apply: into('publishProxyUrl'),
  }),
  rpc_proxy: option({
    ...url(),
    flag: {
      arg: '<url>',
      env: 'RPC_PROXY',
      help: 'backend that answers client rpc frames',
      shownDefault: 'off',
    },
    apply: into('rpcProxyUrl'),
  }),
  proxy_headers: option({
    ...list(),
    flag: {
      arg: '<list>',
      env: 'PROXY_HEADERS',
      help: 'upgrade request headers forwarded to the connect proxy',
      shownDefault: d.proxyHeaders.join(','),
    },
    apply(config, value) {
      config.proxyHeaders = listItems(value).map((header) => header.toLowerCase());
    },
  }),
  proxy_timeout_ms: option({
    ...integer({ min: 1 }),
    flag: {
      arg: '<ms>',
      env: 'PROXY_TIMEOUT_MS',
      help: 'a backend call slower than this fails',
      shownDefault: `${d.proxyTimeoutMs}`,
    },
    apply: into('proxyTimeoutMs'),
  }),
  proxy_max_in_flight: option({
    ...integer({ min: 1 }),
    flag: {
      arg: '<n>',
      env: 'PROXY_MAX_IN_FLIGHT',
      help: 'backend calls in flight per proxy; beyond, calls fail at once',
      shownDefault: `${d.proxyMaxInFlight}`,
    },
    apply: into('proxyMaxInFlight'),
  }),
  insecure_any_origin: option({
    ...toggle(),
    flag: {
      turnsOn: true,
      help: 'let a cookie-forwarding connect proxy run without --allowed-origins (any site could connect as your users)',
    },
    apply: into('insecureAnyOrigin'),
  }),
  webhook_url: option({
    ...url(),
    flag: {
      arg: '<url>',
      env: 'WEBHOOK_URL',
      help: 'backend that receives signed webhook batches (needs --webhook-secret)',
      shownDefault: 'off',
    },
    apply: into('webhookUrl'),
  }),
  webhook_secret: option({
    ...text(),
    flag: { arg: '<secret>', env: 'WEBHOOK_SECRET', help: 'HMAC-SHA256 key of X-TrendStream-Signature' },
    apply: into('webhookSecret'),
  }),
  webhook_debounce_ms: option({
    ...integer(),
    flag: {
      arg: '<ms>',
      env: 'WEBHOOK_DEBOUNCE_MS',
      help: 'wait before channel_vacated / member_removed (a reload sends nothing)',
      shownDefault: `${d.webhookDebounceMs}`,
    },
    apply: into('webhookDebounceMs'),
  }),
  webhook_max_queue: option({
    ...integer({ min: 1 }),
    flag: {
      arg: '<n>',
      env: 'WEBHOOK_MAX_QUEUE',
      help: 'webhook events waiting for delivery; beyond, the oldest are dropped',
      shownDefault: `${d.webhookMaxQueue}`,
    },
    apply: into('webhookMaxQueue'),
  }),
  webhook_retry_for_ms: option({
    ...integer(),
    flag: {
      arg: '<ms>',
      env: 'WEBHOOK_RETRY_FOR_MS',
      help: 'how long a refused webhook batch is retried, with backoff',
      shownDefault: `${d.webhookRetryForMs}`,
    },
    apply: into('webhookRetryForMs'),
  }),
  node_id: option({
    ...text(),
    flag: {
      arg: '<id>',
      env: 'NODE_ID',
      help: "this node's name in connection frames, /healthz and /metrics",
      shownDefault: '<hostname>:<port>',
    },
    apply: into('nodeId'),
  }),
  trust_proxy: option({
    ...list(),
    flag: {
      arg: '<list>',
      env: 'TRUST_PROXY',
      help: "balancers' addresses/CIDRs (or loopback): their X-Forwarded-For names the client",
      shownDefault: 'none',
    },
    apply(config, value) {
      config.trustProxy = listItems(value);
    },
  }),
  drain_ms: option({
    ...integer(),
    flag: {
      arg: '<ms>',
      env: 'DRAIN_MS',
      help: 'on SIGTERM, /healthz says 503 this long before clients are closed',
      shownDefault: `${d.drainMs}`,
    },
    apply: into('drainMs'),
  }),
  drain_spread_ms: option({
    ...integer(),
    flag: {
      arg: '<ms>',
      env: 'DRAIN_SPREAD_MS',
      help: 'then clients are closed (1012) spread over this window',
      shownDefault: `${d.drainSpreadMs}`,
    },
    apply: into('drainSpreadMs'),
  }),
  heartbeat_ms: option({
    ...integer(),
    flag: {
      arg: '<ms>',
      env: 'HEARTBEAT_MS',
      help: 'ping interval; silent clients are reaped',
      shownDefault: `${d.heartbeatMs}`,
    },
    apply: into('heartbeatMs'),
  }),
  max_frame_bytes: option({
    ...integer(),
    flag: {
      arg: '<n>',
      env: 'MAX_FRAME_BYTES',
      help: 'largest inbound frame',
      shownDefault: `${d.maxFrameBytes}`,
    },
    apply: into('maxFrameBytes'),
  }),
  rate_limit: option({
    ...integer({ min: 1 }),
    flag: {
      arg: '<n>',
      env: 'RATE_LIMIT',
      help: 'messages per second per connection',
      shownDefault: `${d.rateLimitPerSecond}`,
    },
    apply: into('rateLimitPerSecond'),
  }),
  rate_burst: option({
    ...integer({ min: 1 }),
    flag: {
      arg: '<n>',
      env: 'RATE_BURST',
      help: 'burst of messages per connection',
      shownDefault: `${d.rateLimitBurst}`,
    },
    apply: into('rateLimitBurst'),
  }),
  max_queued_bytes: option({
    ...integer(),
    flag: {
      arg: '<n>',
      env: 'MAX_QUEUED_BYTES',
      help: 'queued bytes before a slow client is closed (4000)',
      shownDefault: `${d.maxQueuedBytes}`,
    },
    apply: into('maxQueuedBytes'),
  }),
  max_connections: option({
    ...integer(),
    flag: {
      arg: '<n>',
      env: 'MAX_CONNECTIONS',
      help: 'connection limit',
      shownDefault: `${d.maxConnections}`,
    },
    apply: into('maxConnections'),
  }),
  http_timeout_ms: option({
    ...integer(),
    flag: {
      arg: '<ms>',
      env: 'HTTP_TIMEOUT_MS',
      help: 'HTTP connection/request timeout (slow-loris guard)',
      shownDefault: `${d.httpTimeoutMs}`,
    },
    apply: into('httpTimeoutMs'),
  }),
  trend_interval_ms: option({
    ...integer({ min: 1 }),
    flag: {
      arg: '<ms>',
      env: 'TREND_INTERVAL_MS',
      help: 'trend tick',
      shownDefault: `${d.trendIntervalMs}`,
    },
    apply: into('trendIntervalMs'),
  }),
  cpu_alert: option({
    ...integer(),
    flag: {
      arg: '<percent>',
      env: 'CPU_ALERT',
      help: 'CPU alert threshold',
      shownDefault: `${d.cpuAlertPercent}`,
    },
    apply: into('cpuAlertPercent'),
  }),
  metrics_interfaces: option({
    schema: Type.Union([
      Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
      Type.String({ pattern: '[^,\\s]' }),
    ]),
    expected: '"external", "default", "all" or interface names (an array or a comma-separated string)',
    fromFlag: asIs,
    flag: {
      arg: '<which>',
      env: 'METRICS_INTERFACES',
      help: 'interfaces in the network metrics: external (no loopback), default, all, or names',
      shownDefault: d.metricsInterfaces as string,
    },
    apply(config, value) {
      config.metricsInterfaces = parseInterfaceSelection(listItems(value).join(','));
    },
  }),
  trends: feedSwitch('trends', 'disable the trends feed'),
  metrics: feedSwitch('metrics', 'disable the system metrics feed'),
  stocks: feedSwitch('stocks', 'disable the stock ticker feed'),
  notifications: feedSwitch('notifications', 'disable demo notifications'),
  activity: feedSwitch('activity', 'disable the activity feed'),
  web: option({
    ...toggle(),
    flag: { help: 'do not build or serve the web app' },
    // DEFAULT_CONFIG serves no web app (tests, bench); the command does unless told not to.
    cliDefault: () => true,
    apply(config, value) {
      // Checked for an index.html once every source is merged (see serve-config.ts).
      config.webRoot = value ? BUILT_WEB_ROOT : '';
    },
  }),
  log_level: option({
    ...oneOf(LOG_LEVELS),
    flag: { arg: '<level>', env: 'LOG_LEVEL', help: 'pino log level', shownDefault: d.logLevel },
    apply: into('logLevel'),
  }),
  log_format: option({
    ...oneOf(LOG_FORMATS),
    flag: {
      arg: '<format>',
      env: 'LOG_FORMAT',
      help: 'log lines: pretty (readable) or json',
      shownDefault: 'pretty on a terminal, json otherwise',
    },
    // A person at a terminal reads lines; a log collector on a pipe parses JSON.
    cliDefault: () => (process.stdout.isTTY ? 'pretty' : 'json'),
    apply: into('logFormat'),
  }),
};

export type ServeOptionKey = keyof typeof SERVE_OPTIONS;

/** The rows as [key, row] pairs, for code that handles every row the same way. */
export function serveOptionRows(): [ServeOptionKey, ServeOption][] {
  return Object.entries(SERVE_OPTIONS) as [ServeOptionKey, ServeOption][];
}

/** `jwt_secret` → `jwt-secret`: the long flag of a key. */
export function flagName(key: string): string {
  return key.replaceAll('_', '-');
}

/** A value as an error message quotes it: JSON, cut short. */
export function quote(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
