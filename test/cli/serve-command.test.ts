/**
 * The `trendstream` bin as an operator runs it: `serve` in its own process (flags and env vars),
 * SIGTERM drains, then closes clients with 1012 and exits 0; `token` mints a JWT that `serve --jwt-secret` accepts.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { CloseCode } from '../../src/protocol/codes.ts';
import { CLI_ARGS } from '../helpers/cli-from-sources.ts';
import { startServeProcess } from '../helpers/serve-process.ts';
import { waitFor } from '../helpers/wait.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const run = promisify(execFile);
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Start `serve` on a free port and wait for its "TrendStream on ..." line. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<{ port: number }> {
  const served = await startServeProcess(
    process.execPath,
    [...CLI_ARGS, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-web', ...args],
    { env: { ...process.env, LOG_LEVEL: 'silent', ...env } },
  );
  child = served.child;
  return { port: served.port };
}

const FEEDS_OFF = ['--no-trends', '--no-stocks', '--no-notifications', '--no-metrics'];

it('on SIGTERM drains for --drain-ms (/healthz 503, clients kept), then closes them with 1012 and exits 0', async () => {
  const { port } = await serve([...FEEDS_OFF, '--drain-ms', '1500']);
  const client = await WsTestClient.connect(`ws://127.0.0.1:${port}/ws?name=ops`);
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(await health.json()).toMatchObject({ status: 'ok', connections: 1 });
  const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
  const signalled = performance.now();
  child!.kill('SIGTERM');
  await waitFor('draining', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 503);
  expect(client.closeCode).toBeUndefined();
  expect(await client.closed).toBe(CloseCode.ServiceRestart);
  expect(performance.now() - signalled).toBeGreaterThanOrEqual(1400);
  expect(await exited).toBe(0);
});

it('a second signal while draining (or Ctrl-C) closes at once', async () => {
  const { port } = await serve([...FEEDS_OFF, '--drain-ms', '60000']);
  const client = await WsTestClient.connect(`ws://127.0.0.1:${port}/ws?name=ops`);
  const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
  child!.kill('SIGTERM');
  await waitFor('draining', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 503);
  child!.kill('SIGINT');
  expect(await client.closed).toBe(CloseCode.ServiceRestart);
  expect(await exited).toBe(0);
});

it('mints a token that a server with the same secret accepts, and refuses a missing one', async () => {
  const secret = 'cli-test-secret-cli-test-secret-0123';
  const { stdout } = await run(
    process.execPath,
    [...CLI_ARGS, 'token', '--sub', 'u1', '--name', 'Grace', '--ttl', '60'],
    {
      env: { ...process.env, JWT_SECRET: secret },
    },
  );
  const token = stdout.trim();
  expect(token.split('.')).toHaveLength(3);
  const { port } = await serve(['--no-trends', '--no-stocks', '--no-notifications', '--no-metrics'], {
    JWT_SECRET: secret,
  });
  const client = await WsTestClient.connect(`ws://127.0.0.1:${port}/ws?token=${token}`);
  expect(client.frames[0]).toMatchObject({ type: 'connection', user: { name: 'Grace', user: 'u1' } });
  client.close();
  const anonymous = WsTestClient.open(`ws://127.0.0.1:${port}/ws`);
  expect(await anonymous.closed).toBe(CloseCode.Unauthorized);
});

it('mints --subs into the token: the server subscribes the connection without being asked', async () => {
  const secret = 'cli-test-secret-cli-test-secret-0123';
  const { stdout } = await run(
    process.execPath,
    [...CLI_ARGS, 'token', '--sub', 'u7', '--subs', 'echo, notifications#u7', '--ttl', '60'],
    { env: { ...process.env, JWT_SECRET: secret } },
  );
  const { port } = await serve(['--no-trends', '--no-stocks', '--no-notifications', '--no-metrics'], {
    JWT_SECRET: secret,
  });
  const client = await WsTestClient.connect(`ws://127.0.0.1:${port}/ws?token=${stdout.trim()}`);
  for (const channel of ['echo', 'notifications#u7']) {
    const subscribed = await client.next((f) => f.type === 'subscribed' && f.channel === channel);
    expect(subscribed).toMatchObject({ server_side: true });
  }
  client.close();
});

it('rejects a bad flag value with a clear message', async () => {
  await expect(
    run(process.execPath, [...CLI_ARGS, 'serve', '--port', 'eighty', '--no-web']),
  ).rejects.toMatchObject({
    stderr: expect.stringContaining('--port must be a non-negative integer') as unknown,
  });
});
