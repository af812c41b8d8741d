/**
 * The config-file parser and the source merging of `serve`, in process: what each key turns into, the
 * precedence defaults < file < env < flags key by key, and the wording of each rejection.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigFile, suggestKey } from '../../src/cli/config-file.ts';
import { addServeOptions, serveConfig } from '../../src/cli/serve-config.ts';
import { ConfigError, SERVE_OPTIONS } from '../../src/cli/serve-options.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const ENV_NAMES = [
  'TRENDSTREAM_CONFIG',
  ...Object.values(SERVE_OPTIONS).flatMap((row) => (row.flag?.env === undefined ? [] : [row.flag.env])),
];
const savedEnv = new Map(ENV_NAMES.map((name) => [name, process.env[name]]));
const dirs: string[] = [];

afterEach(() => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** serveConfig for these flags, env vars and file content, as `serve` would compute it. */
async function configFor(
  args: string[],
  env: Record<string, string> = {},
  file?: Record<string, unknown>,
): Promise<Awaited<ReturnType<typeof serveConfig>>> {
  for (const name of ENV_NAMES) delete process.env[name];
  Object.assign(process.env, env);
  const fileArgs: string[] = [];
  if (file !== undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'trendstream-serve-config-'));
    dirs.push(dir);
    const path = join(dir, 'trendstream.json');
    writeFileSync(path, JSON.stringify(file));
    fileArgs.push('--config', path);
  }
  const command = new Command('serve').exitOverride();
  addServeOptions(command);
  command.parse(['--no-web', ...fileArgs, ...args], { from: 'user' });
  return serveConfig(command);
}

describe('parseConfigFile', () => {
  it('accepts every key', () => {
    const text = JSON.stringify({
      port: 8080,
      host: '0.0.0.0',
      redis: 'redis://127.0.0.1:6379',
      jwt_secret: 'a-long-secret',
      api_key: 'publish-key',
      allowed_origins: ['https://example.com'],
      heartbeat_ms: 25000,
      max_frame_bytes: 65536,
      rate_limit: 50,
      rate_burst: 100,
      max_queued_bytes: 4194304,
      max_connections: 19500,
      http_timeout_ms: 30000,
      trend_interval_ms: 3000,
      cpu_alert: 90,
      metrics_interfaces: 'external',
      trends: true,
      metrics: true,
      stocks: false,
      notifications: false,
      activity: true,
      web: true,
      log_level: 'info',
      log_format: 'json',
      namespaces: {
        orders: {
          history_size: 100,
          history_ttl_ms: 600000,
          client_publish: true,
          presence: true,
          join_leave: true,
          ephemeral: false,
          snapshot: 'latest',
          user_channels: true,
          subscribe_proxy: true,
          publish_proxy: true,
          publication_webhook: true,
        },
        stocks: false,
      },
      connect_proxy: 'http://127.0.0.1:3000/connect',
      subscribe_proxy: 'https://backend.example/subscribe',
      publish_proxy: 'http://backend:3000/publish?x=1',
      rpc_proxy: 'http://backend/rpc',
      proxy_headers: ['cookie', 'x-tenant'],
      proxy_timeout_ms: 1000,
      proxy_max_in_flight: 64,
      insecure_any_origin: false,
      webhook_url: 'https://backend.example/hooks',
      webhook_secret: 'hook-secret',
      webhook_debounce_ms: 0,
      webhook_max_queue: 100,
      webhook_retry_for_ms: 300000,
    });
    expect(parseConfigFile('t.json', text)).toMatchObject({ port: 8080, stocks: false, log_format: 'json' });
    expect(parseConfigFile('t.json', '{}')).toEqual({});
  });

  it('accepts the example of the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /### Configuration file[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(parseConfigFile('README.md', example ?? '')).toMatchObject({ port: 8080, log_format: 'json' });
  });

  it.each([
    ['{"jwtSecret": "x"}', 'unknown key "jwtSecret" (did you mean "jwt_secret"?)'],
    ['{"colour": "x"}', 'unknown key "colour"'],
    ['{"heartbeat_ms": "abc"}', '"heartbeat_ms" must be a non-negative integer, got "abc"'],
    ['{"heartbeat_ms": 1.5}', '"heartbeat_ms" must be a non-negative integer, got 1.5'],
    ['{"port": 65536}', '"port" must be a non-negative integer (at most 65535), got 65536'],
    ['{"rate_limit": 0}', '"rate_limit" must be an integer of at least 1, got 0'],
    ['{"allowed_origins": [1]}', '"allowed_origins" must be an array of strings or a comma-separated string'],
    ['{"log_level": "loud"}', '"log_level" must be one of "fatal", "error", "warn", "info", "debug", '],
    [
      '{"connect_proxy": "localhost:3000"}',
      '"connect_proxy" must be an http:// or https:// URL, got "localhost',
    ],
    ['{"webhook_url": "ftp://x/y"}', '"webhook_url" must be an http:// or https:// URL, got "ftp://x/y"'],
    ['{"insecure_any_origin": "yes"}', '"insecure_any_origin" must be true or false, got "yes"'],
    ['{"proxy_timeout_ms": 0}', '"proxy_timeout_ms" must be an integer of at least 1, got 0'],
    [
      '{"namespaces": {"orders": {"history_size": "lots"}}}',
      'namespaces.orders.history_size must be an integer from 0 to 100000, got "lots"',
    ],
    [
      '{"namespaces": {"orders": {"histroy_size": 1}}}',
      'namespaces.orders.histroy_size: unknown setting (known: ',
    ],
    [
      '{"namespaces": {"orders": {"snapshot": "counter"}}}',
      'namespaces.orders.snapshot must be "none" or "latest", got "counter"',
    ],
    [
      '{"namespaces": {"orders": true}}',
      'namespaces.orders must be an object of settings, or false, got true',
    ],
    ['{"namespaces": {"chat:lobby": {}}}', 'namespaces: "chat:lobby" is not a namespace name'],
    ['{"namespaces": ["orders"]}', 'namespaces must be an object of namespace name → settings or false'],
    ['[]', 'must be a JSON object of settings, got []'],
    ['{"port": 1,}', 'not valid JSON ('],
  ])('rejects %s', (text, message) => {
    const parse = (): unknown => parseConfigFile('t.json', text);
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(`t.json: ${message}`);
  });

  it('suggests the key a flag, an env var or a typo meant', () => {
    expect(suggestKey('max-frame-bytes')).toBe('max_frame_bytes');
    expect(suggestKey('REDIS_URL')).toBe('redis');
    expect(suggestKey('heartbeat')).toBe('heartbeat_ms');
    expect(suggestKey('prot')).toBe('port');
    expect(suggestKey('database')).toBeUndefined();
  });
});

describe('serveConfig precedence: defaults < file < env < flags', () => {
  it('leaves unset settings to DEFAULT_CONFIG (only the CLI defaults are filled)', async () => {
    const config = await configFor([]);
    expect(config).toEqual({ webRoot: '', logFormat: process.stdout.isTTY ? 'pretty' : 'json' });
  });

  it('maps file keys onto ServerConfig fields', async () => {
    const config = await configFor(
      [],
      {},
      {
        redis: 'redis://r:6379',
        jwt_secret: 's',
        allowed_origins: 'https://a.example, https://b.example',
        rate_limit: 7,
        stocks: false,
        log_level: 'warn',
        log_format: 'pretty',
      },
    );
    expect(config).toMatchObject({
      redisUrl: 'redis://r:6379',
      jwtSecret: 's',
      allowedOrigins: ['https://a.example', 'https://b.example'],
      rateLimitPerSecond: 7,
      feeds: { trends: true, metrics: true, stocks: false, notifications: true, activity: true },
      logLevel: 'warn',
      logFormat: 'pretty',
    });
  });

  it('takes each key from its strongest source, key by key', async () => {
    const file = { port: 1001, host: 'file-host', heartbeat_ms: 1003, trends: false, metrics: false };
    const config = await configFor(
      ['--port', '3001', '--no-metrics'],
      { PORT: '2001', HOST: 'env-host' },
      file,
    );
    expect(config).toMatchObject({
      port: 3001,
      host: 'env-host',
      heartbeatMs: 1003,
      feeds: { trends: false, metrics: false, stocks: true },
    });
  });

  it('names the flag or the env var of a bad value', async () => {
    await expect(configFor(['--heartbeat-ms', '12abc'])).rejects.toThrow(
      '--heartbeat-ms must be a non-negative integer, got "12abc"',
    );
    await expect(configFor([], { MAX_CONNECTIONS: '-3' })).rejects.toThrow(
      'MAX_CONNECTIONS must be a non-negative integer, got "-3"',
    );
    await expect(configFor(['--log-level', 'loud'])).rejects.toThrow('--log-level must be one of');
  });

  it('takes the metrics interfaces as a mode or names, from a flag, an env var or the file', async () => {
    expect((await configFor([])).metricsInterfaces).toBeUndefined();
    expect((await configFor(['--metrics-interfaces', 'all'])).metricsInterfaces).toBe('all');
    expect((await configFor([], { METRICS_INTERFACES: 'eth0, wlan0' })).metricsInterfaces).toEqual([
      'eth0',
      'wlan0',
    ]);
    expect((await configFor([], {}, { metrics_interfaces: ['lo'] })).metricsInterfaces).toEqual(['lo']);
    expect((await configFor([], {}, { metrics_interfaces: 'default' })).metricsInterfaces).toBe('default');
    await expect(configFor(['--metrics-interfaces', ','])).rejects.toThrow(
      '--metrics-interfaces must be "external", "default", "all" or interface names',
    );
  });

  it('rejects settings that do not fit together, whatever their source', async () => {
    await expect(configFor(['--max-queued-bytes', '10'], {}, { max_frame_bytes: 100 })).rejects.toThrow(
      ConfigError,
    );
  });
});

describe('backend settings (proxies, webhooks, origins)', () => {
  it('map flags, env vars and file keys onto ServerConfig', async () => {
    const config = await configFor(
      [
        '--connect-proxy',
        'http://127.0.0.1:3000/connect',
        '--proxy-headers',
        'Cookie, X-Tenant',
        '--proxy-timeout-ms',
        '250',
        '--insecure-any-origin',
        '--webhook-url',
        'https://hooks.example/in',
      ],
      { SUBSCRIBE_PROXY: 'http://127.0.0.1:3000/subscribe', WEBHOOK_SECRET: 'env-secret' },
      {
        publish_proxy: 'http://127.0.0.1:3000/publish',
        rpc_proxy: 'http://127.0.0.1:3000/rpc',
        webhook_max_queue: 9,
      },
    );
    expect(config).toMatchObject({
      connectProxyUrl: 'http://127.0.0.1:3000/connect',
      subscribeProxyUrl: 'http://127.0.0.1:3000/subscribe',
      publishProxyUrl: 'http://127.0.0.1:3000/publish',
      rpcProxyUrl: 'http://127.0.0.1:3000/rpc',
      proxyHeaders: ['cookie', 'x-tenant'],
      proxyTimeoutMs: 250,
      insecureAnyOrigin: true,
      webhookUrl: 'https://hooks.example/in',
      webhookSecret: 'env-secret',
      webhookMaxQueue: 9,
    });
  });

  it('leave --insecure-any-origin off unless it is given (it is a switch that turns on)', async () => {
    expect((await configFor([])).insecureAnyOrigin).toBeUndefined();
    expect((await configFor([], {}, { insecure_any_origin: true })).insecureAnyOrigin).toBe(true);
    await expect(configFor(['--no-insecure-any-origin'])).rejects.toThrow(/unknown option/);
  });

  it('reject a proxy or webhook URL that is not http(s), naming the flag or env var', async () => {
    await expect(configFor(['--connect-proxy', 'localhost:3000'])).rejects.toThrow(
      '--connect-proxy must be an http:// or https:// URL, got "localhost:3000"',
    );
    await expect(configFor([], { RPC_PROXY: 'backend/rpc' })).rejects.toThrow(
      'RPC_PROXY must be an http:// or https:// URL, got "backend/rpc"',
    );
    await expect(configFor(['--proxy-max-in-flight', '0'])).rejects.toThrow(
      '--proxy-max-in-flight must be an integer of at least 1, got "0"',
    );
  });

  it('word the rules across settings with the flags a person types', async () => {
    const cookies = configFor(['--connect-proxy', 'http://127.0.0.1:3000/connect']);
    await expect(cookies).rejects.toThrow(ConfigError);
    await expect(cookies).rejects.toThrow(
      'the connect proxy forwards cookies, so any web page could connect as your users: set ' +
        '--allowed-origins, stop forwarding cookie (--proxy-headers), or opt out with --insecure-any-origin',
    );
    // Each way out the message names works.
    const proxy = ['--connect-proxy', 'http://127.0.0.1:3000/connect'];
    await expect(configFor([...proxy, '--allowed-origins', 'https://app.example'])).resolves.toBeDefined();
    await expect(configFor([...proxy, '--proxy-headers', 'authorization'])).resolves.toBeDefined();
    await expect(configFor([...proxy, '--insecure-any-origin'])).resolves.toBeDefined();

    await expect(configFor(['--webhook-url', 'http://127.0.0.1:3000/hooks'])).rejects.toThrow(
      '--webhook-url needs --webhook-secret to sign the webhooks with',
    );
    await expect(configFor(['--max-queued-bytes', '10'], {}, { max_frame_bytes: 100 })).rejects.toThrow(
      '--max-queued-bytes must be at least --max-frame-bytes',
    );
    await expect(configFor(['--rate-burst', '1', '--rate-limit', '1'])).resolves.toBeDefined();
  });
});

describe('namespaces: the file and --namespace', () => {
  it('merges --namespace specs over the file, namespace by namespace and key by key', async () => {
    const config = await configFor(
      [
        '--namespace',
        'orders:history_size=20,presence=true',
        '--namespace',
        'stocks:off',
        '--namespace',
        'orders:join_leave=true',
        '--namespace',
        'audit',
        '--namespace',
        'prices:snapshot=latest,history_ttl_ms=5000',
        '--namespace',
        'echo:history_size=3',
      ],
      {},
      {
        namespaces: {
          orders: { history_size: 10, client_publish: true },
          chat: { history_size: 5 },
          echo: false,
        },
      },
    );
    expect(config.namespaces).toEqual({
      orders: { history_size: 20, client_publish: true, presence: true, join_leave: true },
      chat: { history_size: 5 },
      stocks: false,
      audit: {},
      prices: { snapshot: 'latest', history_ttl_ms: 5000 },
      // A flag's settings bring back a built-in the file switched off.
      echo: { history_size: 3 },
    });
  });

  it('checks the merged result: a flag may complete what the file started', async () => {
    const file = { namespaces: { orders: { join_leave: true } } };
    const config = await configFor(['--namespace', 'orders:presence=true'], {}, file);
    expect(config.namespaces).toEqual({ orders: { join_leave: true, presence: true } });
  });

  it.each([
    [
      'orders:history_size=lots',
      '--namespace orders: history_size must be an integer from 0 to 100000, got "lots"',
    ],
    [
      'orders:history_size=-5',
      '--namespace orders: history_size must be an integer from 0 to 100000, got -5',
    ],
    ['orders:presence=yes', '--namespace orders: presence must be true or false, got "yes"'],
    ['orders:snapshot=board', '--namespace orders: snapshot must be "none" or "latest", got "board"'],
    ['orders:histroy_size=1', '--namespace orders: histroy_size: unknown setting (known: history_size'],
    ['orders:presence', '--namespace orders: "presence" is not key=value'],
    ['orders:presence=true,off', '--namespace orders: "off" is not key=value (orders:off switches'],
    ['stocks=off', '--namespace "stocks=off": "stocks=off" is not a namespace name'],
    ['orders:off', '--namespace orders:off: only a built-in namespace can be switched off (trends, '],
    ['orders:join_leave=true', '--namespace orders: join_leave: join/leave events need "presence": true'],
    ['counter:snapshot=latest', '--namespace counter: snapshot: the built-in counter namespace keeps its'],
    ['orders:publish_proxy=true', '--namespace orders: publish_proxy: clients cannot publish here'],
  ])('rejects --namespace %s in one line naming the namespace and the key', async (spec, message) => {
    const result = configFor(['--namespace', spec]);
    await expect(result).rejects.toThrow(ConfigError);
    await expect(result).rejects.toThrow(message);
    await expect(result).rejects.toThrow(/^[^\n]*$/);
  });

  it('blames the config file for what the file alone got wrong, naming the key', async () => {
    await expect(configFor([], {}, { namespaces: { orders: { join_leave: true } } })).rejects.toThrow(
      /trendstream\.json: namespaces\.orders\.join_leave: join\/leave events need "presence": true$/,
    );
    await expect(configFor([], {}, { namespaces: { orders: false } })).rejects.toThrow(
      /trendstream\.json: namespaces\.orders: false switches off a built-in namespace, and orders is not one$/,
    );
    await expect(configFor([], {}, { namespaces: { orders: { history_size: 1.5 } } })).rejects.toThrow(
      /trendstream\.json: namespaces\.orders\.history_size must be an integer from 0 to 100000, got 1\.5$/,
    );
    // A flag naming another namespace does not take the blame.
    await expect(
      configFor(['--namespace', 'audit'], {}, { namespaces: { counter: { snapshot: 'none' } } }),
    ).rejects.toThrow(/trendstream\.json: namespaces\.counter\.snapshot: /);
  });

  describe('on a real server', () => {
    let server: RunningServer | undefined;
    const clients: WsTestClient[] = [];

    afterEach(async () => {
      for (const client of clients.splice(0)) client.close();
      await server?.close();
      server = undefined;
    });

    async function connect(running: RunningServer, name: string): Promise<WsTestClient> {
      const client = await WsTestClient.connect(`${running.wsUrl}?name=${name}`);
      clients.push(client);
      return client;
    }

    it("runs the file's orders namespace with the flag's history_size, and without stocks", async () => {
      const config = await configFor(
        ['--namespace', 'orders:history_size=2', '--namespace', 'stocks:off'],
        {},
        { namespaces: { orders: { client_publish: true, history_size: 50 } } },
      );
      server = await startTestServer(config);
      const reader = await connect(server, 'reader');
      const writer = await connect(server, 'writer');
      await reader.request({ type: 'subscribe', id: 's', channel: 'orders:1' });
      for (let n = 1; n <= 4; n += 1) {
        expect(
          await writer.request({ type: 'publish', id: `p${n}`, channel: 'orders:1', data: { n } }),
        ).toMatchObject({ type: 'ack', seq: n });
      }
      const last = await reader.nextPublication((p) => p.channel === 'orders:1' && p.seq === 4);
      expect(last.data).toEqual({ n: 4 });
      const history = await reader.request({ type: 'history', id: 'h', channel: 'orders:1' });
      expect(history.type === 'history' ? history.publications.map((p) => p.seq) : []).toEqual([3, 4]);
      expect(await reader.request({ type: 'subscribe', id: 'x', channel: 'stocks' })).toMatchObject({
        type: 'error',
        code: 'not_found',
      });
    });
  });
});
