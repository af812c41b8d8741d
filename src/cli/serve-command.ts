/** `trendstream serve`: runs a hub node (what `npm start` runs). Every flag also reads an env var. */
import { Command, Option } from 'commander';
import { DEFAULT_CONFIG, type ServerConfig } from '../server/config.ts';
import { startServer } from '../server/start-server.ts';

interface ServeFlags {
  port: string;
  host: string;
  redis: string;
  jwtSecret: string;
  apiKey: string;
  allowedOrigins: string;
  heartbeatMs: string;
  maxFrameBytes: string;
  rateLimit: string;
  rateBurst: string;
  maxQueuedBytes: string;
  maxConnections: string;
  httpTimeoutMs: string;
  trendIntervalMs: string;
  cpuAlert: string;
  trends: boolean;
  metrics: boolean;
  stocks: boolean;
  notifications: boolean;
  activity: boolean;
  web: boolean;
  logLevel: string;
}

const d = DEFAULT_CONFIG;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run a TrendStream hub: WebSocket at /ws, HTTP API, web app, built-in feeds')
    .addOption(
      new Option('-p, --port <n>', 'port for HTTP and WebSocket').env('PORT').default(String(d.port)),
    )
    .addOption(new Option('--host <addr>', 'address to listen on').env('HOST').default(d.host))
    .addOption(
      new Option('--redis <url>', 'Redis URL: share channels with other nodes').env('REDIS_URL').default(''),
    )
    .addOption(
      new Option('--jwt-secret <secret>', 'require HS256 JWTs signed with this')
        .env('JWT_SECRET')
        .default(''),
    )
    .addOption(
      new Option('--api-key <key>', 'enable POST /api/publish with this bearer key')
        .env('API_KEY')
        .default(''),
    )
    .addOption(
      new Option('--allowed-origins <list>', 'comma-separated Origin allow-list for WebSockets')
        .env('ALLOWED_ORIGINS')
        .default(''),
    )
    .addOption(
      new Option('--heartbeat-ms <ms>', 'ping interval; silent clients are reaped')
        .env('HEARTBEAT_MS')
        .default(String(d.heartbeatMs)),
    )
    .addOption(
      new Option('--max-frame-bytes <n>', 'largest inbound frame')
        .env('MAX_FRAME_BYTES')
        .default(String(d.maxFrameBytes)),
    )
    .addOption(
      new Option('--rate-limit <n>', 'messages per second per connection')
        .env('RATE_LIMIT')
        .default(String(d.rateLimitPerSecond)),
    )
    .addOption(
      new Option('--rate-burst <n>', 'burst of messages per connection')
        .env('RATE_BURST')
        .default(String(d.rateLimitBurst)),
    )
    .addOption(
      new Option('--max-queued-bytes <n>', 'queued bytes before a slow client is closed (4000)')
        .env('MAX_QUEUED_BYTES')
        .default(String(d.maxQueuedBytes)),
    )
    .addOption(
      new Option('--max-connections <n>', 'connection limit')
        .env('MAX_CONNECTIONS')
        .default(String(d.maxConnections)),
    )
    .addOption(
      new Option('--http-timeout-ms <ms>', 'HTTP connection/request timeout (slow-loris guard)')
        .env('HTTP_TIMEOUT_MS')
        .default(String(d.httpTimeoutMs)),
    )
    .addOption(
      new Option('--trend-interval-ms <ms>', 'trend tick')
        .env('TREND_INTERVAL_MS')
        .default(String(d.trendIntervalMs)),
    )
    .addOption(
      new Option('--cpu-alert <percent>', 'CPU alert threshold')
        .env('CPU_ALERT')
        .default(String(d.cpuAlertPercent)),
    )
    .option('--no-trends', 'disable the trends feed')
    .option('--no-metrics', 'disable the system metrics feed')
    .option('--no-stocks', 'disable the stock ticker feed')
    .option('--no-notifications', 'disable demo notifications')
    .option('--no-activity', 'disable the activity feed')
    .option('--no-web', 'do not build or serve the web app')
    .addOption(new Option('--log-level <level>', 'pino log level').env('LOG_LEVEL').default(d.logLevel))
    .action(async (flags: ServeFlags) => {
      const config = await configFromFlags(flags);
      const server = await startServer(config);
      const stop = (signal: string): void => {
        process.stderr.write(`\n${signal}: closing connections (1012) and shutting down\n`);
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      process.stdout.write(
        `TrendStream on ${server.httpUrl.replace('127.0.0.1', 'localhost')} — WebSocket ${server.wsUrl} — engine ${server.engine.name}\n`,
      );
    });
}

function integer(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

async function configFromFlags(flags: ServeFlags): Promise<Partial<ServerConfig>> {
  const config: Partial<ServerConfig> = {
    port: integer('port', flags.port),
    host: flags.host,
    redisUrl: flags.redis,
    jwtSecret: flags.jwtSecret,
    apiKey: flags.apiKey,
    allowedOrigins: flags.allowedOrigins
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    heartbeatMs: integer('heartbeat-ms', flags.heartbeatMs),
    maxFrameBytes: integer('max-frame-bytes', flags.maxFrameBytes),
    rateLimitPerSecond: integer('rate-limit', flags.rateLimit),
    rateLimitBurst: integer('rate-burst', flags.rateBurst),
    maxQueuedBytes: integer('max-queued-bytes', flags.maxQueuedBytes),
    maxConnections: integer('max-connections', flags.maxConnections),
    httpTimeoutMs: integer('http-timeout-ms', flags.httpTimeoutMs),
    trendIntervalMs: integer('trend-interval-ms', flags.trendIntervalMs),
    cpuAlertPercent: integer('cpu-alert', flags.cpuAlert),
    feeds: {
      trends: flags.trends,
      metrics: flags.metrics,
      stocks: flags.stocks,
      notifications: flags.notifications,
      activity: flags.activity,
    },
    logLevel: flags.logLevel,
  };
  if (flags.web) {
    const { ensureWebBuild } = await import('../web/build-if-stale.ts');
    config.webRoot = await ensureWebBuild();
  }
  return config;
}
