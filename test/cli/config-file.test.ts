/**
 * `trendstream serve --config FILE` as an operator runs it, in its own process from the sources: the
 * file's settings take effect, env vars override the file and flags override both, a bad file stops
 * the process at once with one line naming the file and the key; and `--log-format json|pretty`.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ARGS } from '../helpers/cli-from-sources.ts';
import { startServeProcess } from '../helpers/serve-process.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

/** Another loopback address proves the file's host is used (Linux routes all of 127/8 to lo). */
const HOST = process.platform === 'linux' ? '127.0.0.2' : '127.0.0.1';
const QUIET = { log_level: 'silent', web: false };
const FEEDS_OFF = { trends: false, metrics: false, stocks: false, notifications: false, activity: false };
/** Env vars of the runner that would otherwise leak into `serve` and change what a test means. */
const SERVE_ENV = [
  'PORT',
  'HOST',
  'API_KEY',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'TRENDSTREAM_CONFIG',
  'REDIS_URL',
  'ALLOWED_ORIGINS',
  'CONNECT_PROXY',
  'PROXY_HEADERS',
  'WEBHOOK_URL',
  'WEBHOOK_SECRET',
];

let dir = '';
const children: ChildProcess[] = [];
const sockets: WsTestClient[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trendstream-config-'));
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(settings: Record<string, unknown>): string {
  const file = join(dir, 'trendstream.json');
  writeFileSync(file, JSON.stringify(settings, null, 2));
  return file;
}

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const name of SERVE_ENV) delete base[name];
  return { ...base, ...env };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface Served {
  /** Base URL as `serve` announced it (localhost spelled 127.0.0.1, so fetch needs no IPv6). */
  url: string;
  port: number;
  stdout: () => string;
}

/** `serve --no-web?` with exactly these args (no port or host of our own): resolves on its URL line. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const served = await startServeProcess(process.execPath, [...CLI_ARGS, 'serve', ...args], {
    env: cleanEnv(env),
    timeoutMs: 15_000,
  });
  children.push(served.child);
  return served;
}

interface Failed {
  code: number | null;
  stderr: string;
  elapsedMs: number;
}

/** Runs `serve` that is expected to refuse to start; resolves with how it exited. */
function serveExpectingFailure(args: string[], env: Record<string, string> = {}): Promise<Failed> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...CLI_ARGS, 'serve', ...args],
      { env: cleanEnv(env), timeout: 15_000 },
      (error, _stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stderr, elapsedMs: Date.now() - started });
      },
    );
  });
}

async function publishStatus(served: Served, key: string): Promise<number> {
  const response = await fetch(`${served.url}/api/publish`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'echo', data: { hello: 'config' } }),
  });
  return response.status;
}

async function activeChannels(served: Served): Promise<string[]> {
  const response = await fetch(`${served.url}/api/channels`);
  const body = (await response.json()) as { channels: { channel: string }[] };
  return body.channels.map((c) => c.channel);
}

async function eventually<T>(probe: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a config file', () => {
  it('sets port, host, api_key and the feed switches (feeds off stay off, stocks on runs)', async () => {
    const port = await freePort();
    const file = writeConfig({ ...QUIET, ...FEEDS_OFF, stocks: true, port, host: HOST, api_key: 'file-key' });
    const served = await serve(['--config', file]);

    expect(served.url).toBe(`http://${HOST}:${port}`);
    const health = await fetch(`${served.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await publishStatus(served, 'file-key')).toBe(200);
    expect(await publishStatus(served, 'another-key')).toBe(401);
    // The stocks feed publishes at once; trends would too if the file had not switched it off.
    const channels = await eventually(
      () => activeChannels(served),
      (list) => list.includes('stocks'),
    );
    expect(channels).toContain('stocks');
    expect(channels.filter((c) => c.startsWith('trends') || c === 'metrics')).toEqual([]);
  });

  it('is overridden by env vars (and found through TRENDSTREAM_CONFIG)', async () => {
    const [filePort, envPort] = [await freePort(), await freePort()];
    const file = writeConfig({
      ...QUIET,
      ...FEEDS_OFF,
      port: filePort,
      host: '127.0.0.1',
      api_key: 'file-key',
    });
    const served = await serve([], { TRENDSTREAM_CONFIG: file, PORT: String(envPort), API_KEY: 'env-key' });

    expect(served.port).toBe(envPort);
    expect(await publishStatus(served, 'env-key')).toBe(200);
    expect(await publishStatus(served, 'file-key')).toBe(401);
  });

  it('is overridden by flags, which also beat env vars', async () => {
    const [filePort, envPort, flagPort] = [await freePort(), await freePort(), await freePort()];
    const file = writeConfig({
      ...QUIET,
      ...FEEDS_OFF,
      port: filePort,
      host: '127.0.0.1',
      api_key: 'file-key',
    });
    const served = await serve(['--config', file, '--port', String(flagPort), '--api-key', 'flag-key'], {
      PORT: String(envPort),
      API_KEY: 'env-key',
    });

    expect(served.port).toBe(flagPort);
    expect(await publishStatus(served, 'flag-key')).toBe(200);
    expect(await publishStatus(served, 'env-key')).toBe(401);
    expect(await publishStatus(served, 'file-key')).toBe(401);
  });
});

describe('a bad config file stops serve at once with one line', () => {
  it('names an unknown key and suggests the known one', async () => {
    const file = writeConfig({ ...QUIET, jwtSecret: 'secret' });
    const failed = await serveExpectingFailure(['--config', file]);

    expect(failed.code).toBe(1);
    expect(failed.elapsedMs).toBeLessThan(10_000);
    expect(failed.stderr).toBe(`${file}: unknown key "jwtSecret" (did you mean "jwt_secret"?)\n`);
  });

  it.each([
    [{ heartbeat_ms: 'abc' }, '"heartbeat_ms" must be a non-negative integer, got "abc"'],
    [{ port: -1 }, '"port" must be a non-negative integer (at most 65535), got -1'],
    [{ log_format: 'xml' }, '"log_format" must be one of "pretty", "json", got "xml"'],
    [{ trends: 'no' }, '"trends" must be true or false, got "no"'],
  ])('names a bad value: %j', async (settings, message) => {
    const file = writeConfig({ ...QUIET, ...settings });
    const failed = await serveExpectingFailure(['--config', file]);

    expect(failed.code).toBe(1);
    expect(failed.elapsedMs).toBeLessThan(10_000);
    expect(failed.stderr).toBe(`${file}: ${message}\n`);
  });

  it('says so when the file is missing or is not JSON', async () => {
    const missing = await serveExpectingFailure(['--config', join(dir, 'absent.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^\S*absent\.json: cannot read the config file \(no such file\)\n$/);

    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "port": 80,');
    const broken = await serveExpectingFailure(['--config', file]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^\S*broken\.json: not valid JSON \(.+\)\n$/);
  });
});

describe('namespaces from the file and --namespace', () => {
  async function connect(served: Served, name: string): Promise<WsTestClient> {
    const client = await WsTestClient.connect(`${served.url.replace('http', 'ws')}/ws?name=${name}`);
    sockets.push(client);
    return client;
  }

  async function namespaces(served: Served): Promise<Record<string, unknown>[]> {
    const response = await fetch(`${served.url}/api/channels`);
    return ((await response.json()) as { namespaces: Record<string, unknown>[] }).namespaces;
  }

  it("serves the file's namespaces with the flags merged over them", async () => {
    const file = writeConfig({
      ...QUIET,
      ...FEEDS_OFF,
      port: 0,
      host: '127.0.0.1',
      namespaces: { orders: { client_publish: true, history_size: 50 }, chat: { history_size: 5 } },
    });
    const served = await serve([
      '--config',
      file,
      '--namespace',
      'orders:history_size=2,presence=true',
      '--namespace',
      'stocks:off',
    ]);

    const listed = await namespaces(served);
    expect(listed.find((n) => n.name === 'orders')).toMatchObject({
      history_size: 2,
      client_publish: true,
      presence: true,
      join_leave: false,
    });
    expect(listed.find((n) => n.name === 'chat')).toMatchObject({ history_size: 5, client_publish: true });
    expect(listed.map((n) => n.name)).not.toContain('stocks');

    const reader = await connect(served, 'reader');
    const writer = await connect(served, 'writer');
    expect(await reader.request({ type: 'subscribe', id: 's', channel: 'orders:1' })).toMatchObject({
      type: 'subscribed',
    });
    for (let n = 1; n <= 3; n += 1) {
      await writer.request({ type: 'publish', id: `p${n}`, channel: 'orders:1', data: { n } });
    }
    expect((await reader.nextPublication((p) => p.seq === 3)).from?.name).toBe('writer');
    const history = await writer.request({ type: 'history', id: 'h', channel: 'orders:1' });
    expect(history.type === 'history' ? history.publications.map((p) => p.data) : []).toEqual([
      { n: 2 },
      { n: 3 },
    ]);
    expect(await writer.request({ type: 'subscribe', id: 'x', channel: 'stocks' })).toMatchObject({
      type: 'error',
      code: 'not_found',
    });
  });

  it.each([
    [
      { orders: { history_size: -1 } },
      'namespaces.orders.history_size must be an integer from 0 to 100000, got -1',
    ],
    [
      { orders: { join_leave: true } },
      'namespaces.orders.join_leave: join/leave events need "presence": true',
    ],
    [{ orders: false }, 'namespaces.orders: false switches off a built-in namespace, and orders is not one'],
  ])(
    'a bad namespaces value in the file stops serve with one line naming the key: %j',
    async (bad, message) => {
      const file = writeConfig({ ...QUIET, namespaces: bad });
      const failed = await serveExpectingFailure(['--config', file]);

      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe(`${file}: ${message}\n`);
    },
  );

  it('a bad --namespace stops serve with one line naming the namespace and the key', async () => {
    const failed = await serveExpectingFailure(['--no-web', '--namespace', 'orders:history_size=lots']);

    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      '--namespace orders: history_size must be an integer from 0 to 100000, got "lots"\n',
    );
  });

  it('a cookie-forwarding connect proxy without --allowed-origins stops serve, naming the flags', async () => {
    const failed = await serveExpectingFailure([
      '--no-web',
      '--log-level',
      'silent',
      '--connect-proxy',
      'http://127.0.0.1:9/connect',
    ]);

    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^the connect proxy forwards cookies.*set --allowed-origins,.*--insecure-any-origin\n$/,
    );
  });
});

describe('--log-format', () => {
  const args = ['--port', '0', '--host', '127.0.0.1', '--no-web', '--log-level', 'info'];
  const feedsOff = ['--no-trends', '--no-metrics', '--no-stocks', '--no-notifications', '--no-activity'];

  it('json prints one JSON object per log line', async () => {
    const served = await serve([...args, ...feedsOff, '--log-format', 'json']);
    const stdout = await eventually(served.stdout, (text) => text.includes('TrendStream listening'));

    const logLines = stdout.split('\n').filter((line) => line !== '' && !line.startsWith('TrendStream on'));
    expect(logLines.length).toBeGreaterThan(0);
    const records = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({ level: 30, msg: 'TrendStream listening', port: served.port }),
    );
  });

  it('pretty prints readable lines, not JSON (also when set in the file)', async () => {
    const file = writeConfig({ log_format: 'pretty' });
    const served = await serve([...args, ...feedsOff, '--config', file]);
    const stdout = await eventually(served.stdout, (text) => text.includes('TrendStream listening'));

    const line = stdout.split('\n').find((l) => l.includes('TrendStream listening'));
    expect(line).toMatch(/INFO.*\(trendstream\).*TrendStream listening/);
    expect(stdout.split('\n').filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
  });
});
