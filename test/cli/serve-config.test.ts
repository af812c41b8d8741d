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
      trends: true,
      metrics: true,
      stocks: false,
      notifications: false,
      activity: true,
      web: true,
      log_level: 'info',
      log_format: 'json',
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

  it('rejects settings that do not fit together, whatever their source', async () => {
    await expect(configFor(['--max-queued-bytes', '10'], {}, { max_frame_bytes: 100 })).rejects.toThrow(
      ConfigError,
    );
  });
});
