/**
 * `trendstream watch --once` run as a user's script would: the real bin in a child process,
 * against a real hub with the trends feed on; stdout parsed as JSON or read as a table.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import { mintToken } from '../../src/server/identity.ts';
import type { TrendSnapshot } from '../../src/terminal/snapshot-output.ts';
import { CLI_ARGS } from '../helpers/cli-from-sources.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('trendstream watch --once', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ feeds: { ...NO_FEEDS, trends: true }, trendIntervalMs: 200 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('--json prints one parseable snapshot of the chosen categories, ranked by score', async () => {
    const run = await runCli(['watch', server.wsUrl, '--once', '--json', '--categories', 'music,tech']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const snapshot = JSON.parse(run.stdout) as TrendSnapshot;
    expect(snapshot.url).toBe(server.wsUrl);
    expect(snapshot.categories).toEqual(['music', 'tech']);
    expect(snapshot.tick).toBeGreaterThanOrEqual(0);
    expect(snapshot.topics).toHaveLength(12);
    expect(new Set(snapshot.topics.map((topic) => topic.category))).toEqual(new Set(['music', 'tech']));
    expect(snapshot.topics.map((topic) => topic.rank)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const scores = snapshot.topics.map((topic) => topic.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const topic of snapshot.topics) {
      expect(topic.name).toMatch(/^#/);
      expect(Array.isArray(topic.history)).toBe(true);
    }
  });

  it('without --json prints a plain table, without colour codes even when forced', async () => {
    const run = await runCli(['watch', server.wsUrl, '--once', '--categories', 'games'], {
      FORCE_COLOR: '1',
      LC_ALL: 'C.UTF-8',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\u001b');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toContain(`from ${server.wsUrl}`);
    expect(lines[1]).toMatch(/^#\s+TOPIC\s+CATEGORY\s+SCORE\s+CHANGE\s+HISTORY/);
    expect(lines.slice(2)).toHaveLength(6);
    for (const line of lines.slice(2))
      expect(line).toMatch(/^\d\s+#\S+\s+Games\s+[\d,]+\s+[▲▼•] [+-]?[\d,]+/);
  });

  it('prints the table in plain ASCII when the locale is not UTF-8 (LC_ALL=C), or with --ascii', async () => {
    for (const [args, env] of [
      [[], { LC_ALL: 'C' }],
      [['--ascii'], { LC_ALL: 'C.UTF-8' }],
    ] as const) {
      const run = await runCli(['watch', server.wsUrl, '--once', '--categories', 'games', ...args], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^[\x20-\x7e\n]*$/);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines.slice(2)).toHaveLength(6);
      for (const line of lines.slice(2))
        expect(line).toMatch(/^\d\s+#\S+\s+Games\s+[\d,]+\s+[\^v=] [+-]?[\d,]+\s+[_.\-:=+*#]+/);
    }
  });

  it('fails fast with a clear message when the hub is unreachable', async () => {
    const run = await runCli(['watch', 'ws://127.0.0.1:9/ws', '--once', '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^trendstream watch: could not connect to ws:\/\/127\.0\.0\.1:9\/ws/);
    expect(run.ms).toBeLessThan(8000);
  });

  it('rejects an unknown category before connecting', async () => {
    const run = await runCli(['watch', server.wsUrl, '--once', '--categories', 'music,cooking']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('unknown category "cooking"');
  });
});

describe('trendstream watch --once on a hub that requires a JWT', () => {
  const secret = 'terminal-client-test-secret-0123456789';
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({
      feeds: { ...NO_FEEDS, trends: true },
      trendIntervalMs: 200,
      jwtSecret: secret,
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('connects with --token', async () => {
    const token = await mintToken(secret, { sub: 'ada', name: 'Ada' });
    const run = await runCli(['watch', server.wsUrl, '--json', '--token', token, '--categories', 'sports']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as TrendSnapshot).topics).toHaveLength(6);
  });

  it("fails fast with the hub's reason when the token is refused", async () => {
    const run = await runCli(['watch', server.wsUrl, '--json', '--token', 'not-a-jwt']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/closed the connection: .*token/);
    expect(run.ms).toBeLessThan(8000);
  });
});
