/**
 * scripts/check-system.mjs, the first step of `npm test`, run as a child process with a PATH that
 * holds only a temp dir (a `node` symlink plus whatever fakes a case needs), so the machine's own
 * redis-server, Chromium and apt-get are never seen. The install cases use a fake apt-get and run
 * only as root, since the script installs only as root.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '../../scripts/check-system.mjs');
const isRoot = process.getuid?.() === 0;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr lines that are not empty. */
  lines: string[];
  ms: number;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Programs most cases take as present: each case is about the ones it leaves out. */
const ALWAYS_THERE = ['tmux', 'nginx', 'haproxy'] as const;
type Optional = (typeof ALWAYS_THERE)[number];

/** A temp dir to be the whole PATH, with `node` and fakes of ALWAYS_THERE except those `missing`. */
function binDir(options: { missing?: readonly Optional[] } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'trendstream-check-system-'));
  dirs.push(dir);
  symlinkSync(process.execPath, join(dir, 'node'));
  for (const name of ALWAYS_THERE) {
    if (!options.missing?.includes(name))
      writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  }
  return dir;
}

function executable(path: string, body = '#!/bin/sh\nexit 0\n'): string {
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

/** Runs the script with exactly this environment (nothing inherited, e.g. no SKIP from outside). */
function runCheck(env: Record<string, string>): Promise<Outcome> {
  const started = Date.now();
  // No sbin folder: the machine's own nginx and HAProxy are not seen either.
  const child = spawn(process.execPath, [SCRIPT], {
    env: { TRENDSTREAM_SBIN_DIRS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = `${stdout}\n${stderr}`.split('\n').filter((line) => line.trim() !== '');
      resolve({ code, stdout, stderr, lines, ms: Date.now() - started });
    });
  });
}

describe('check-system', () => {
  it('cannot install: fails at once with one line per missing program and its install command', async () => {
    const bin = binDir();
    const result = await runCheck({
      PATH: bin,
      CHROMIUM_PATH: join(bin, 'no-chromium'),
      TRENDSTREAM_NO_INSTALL: '1',
    });
    expect(result.code).not.toBe(0);
    expect(result.ms).toBeLessThan(5000);
    expect(result.lines).toHaveLength(2);
    const [redis, chromium] = result.lines;
    expect(redis).toMatch(
      /^missing redis-server: .*`(sudo )?apt-get install redis-server`.*`brew install redis`/,
    );
    expect(chromium).toMatch(
      /^missing chromium: CHROMIUM_PATH=.*no-chromium .*`(sudo )?apt-get install chromium`/,
    );
  });

  /** Everything present but `missing` (never installed): what the check says. */
  function checkWithout(missing: readonly Optional[], env: Record<string, string> = {}) {
    const bin = binDir({ missing });
    executable(join(bin, 'redis-server'));
    return runCheck({
      PATH: bin,
      CHROMIUM_PATH: executable(join(bin, 'chromium')),
      TRENDSTREAM_NO_INSTALL: '1',
      ...env,
    });
  }

  it('names tmux when it is missing (the terminal client is tested in a real terminal)', async () => {
    const result = await checkWithout(['tmux']);
    expect(result.code).not.toBe(0);
    expect(result.lines).toEqual([expect.stringMatching(/^missing tmux: .*`(sudo )?apt-get install tmux`/)]);
  });

  it('names nginx and haproxy when missing (the rolling-restart suite runs the real balancers)', async () => {
    const result = await checkWithout(['nginx', 'haproxy']);
    expect(result.code).not.toBe(0);
    expect(result.lines).toEqual([
      expect.stringMatching(/^missing nginx: .*`(sudo )?apt-get install nginx`/),
      expect.stringMatching(/^missing haproxy: .*`(sudo )?apt-get install haproxy`/),
    ]);
  });

  it('finds nginx and haproxy in an sbin folder off PATH (where Debian puts them)', async () => {
    const result = await checkWithout(['nginx', 'haproxy'], { TRENDSTREAM_SBIN_DIRS: binDir() });
    expect(result).toMatchObject({ code: 0, lines: [] });
  });

  it('without apt-get on PATH it does not try to install, even as root', async () => {
    const bin = binDir();
    const result = await runCheck({ PATH: bin, CHROMIUM_PATH: executable(join(bin, 'chromium')) });
    expect(result.code).not.toBe(0);
    expect(result.ms).toBeLessThan(5000);
    expect(result.lines).toEqual([expect.stringMatching(/^missing redis-server: install it with `/)]);
  });

  it('says nothing and exits 0 when everything is there', async () => {
    const bin = binDir();
    executable(join(bin, 'redis-server'));
    const result = await runCheck({
      PATH: bin,
      CHROMIUM_PATH: executable(join(bin, 'chromium')),
      TRENDSTREAM_NO_INSTALL: '1',
    });
    expect(result).toMatchObject({ code: 0, lines: [] });
    expect(result.ms).toBeLessThan(5000);
  });

  it('TRENDSTREAM_SKIP_SYSTEM_CHECK=1 skips the check', async () => {
    const bin = binDir();
    const result = await runCheck({
      PATH: bin,
      CHROMIUM_PATH: join(bin, 'no-chromium'),
      TRENDSTREAM_NO_INSTALL: '1',
      TRENDSTREAM_SKIP_SYSTEM_CHECK: '1',
    });
    expect(result).toMatchObject({ code: 0, lines: [] });
  });

  describe.skipIf(!isRoot)('as root with apt-get (a fake one)', () => {
    /**
     * A fake apt-get: logs each call (args and DEBIAN_FRONTEND) as a JSON line; `install` creates
     * each package's program in the bin dir. FAKE_APT picks a misbehaviour.
     */
    function fakeApt(bin: string, mode: 'ok' | 'update-stalls-once' | 'update-fails' | 'install-fails') {
      const log = join(bin, 'apt.log');
      const source = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const log = ${JSON.stringify(log)};
const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\\n').filter(Boolean).length : 0;
fs.appendFileSync(log, JSON.stringify({ args, frontend: process.env.DEBIAN_FRONTEND }) + '\\n');
const mode = ${JSON.stringify(mode)};
if (args[0] === 'update') {
  if (mode === 'update-stalls-once' && calls === 0) setTimeout(() => {}, 60000);
  if (mode === 'update-fails') {
    console.error('E: The repository is not signed.');
    process.exit(100);
  }
  return;
}
if (mode === 'install-fails') {
  console.error('E: Unable to locate package ' + args.at(-1));
  process.exit(100);
}
for (const name of args.filter((a) => !a.startsWith('-')).slice(1)) {
  fs.writeFileSync(path.join(${JSON.stringify(bin)}, name), '#!/bin/sh\\n');
  fs.chmodSync(path.join(${JSON.stringify(bin)}, name), 0o755);
}
`;
      executable(join(bin, 'apt-get.cjs'), source);
      symlinkSync(join(bin, 'apt-get.cjs'), join(bin, 'apt-get'));
      return () =>
        readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { args: string[]; frontend?: string });
    }

    it('installs what is missing with apt-get and says so in one line', async () => {
      const bin = binDir();
      const calls = fakeApt(bin, 'ok');
      const result = await runCheck({ PATH: bin, CHROMIUM_PATH: executable(join(bin, 'chromium')) });
      expect(result.code).toBe(0);
      expect(result.lines).toEqual([
        expect.stringMatching(/^check-system: installing redis-server with apt-get\.\.\. done in \d+ s$/),
      ]);
      expect(calls()).toEqual([
        { args: ['update', '-qq'], frontend: 'noninteractive' },
        { args: ['install', '-y', '-qq', 'redis-server'], frontend: 'noninteractive' },
      ]);
    });

    it('retries an apt-get update that stalls, once', async () => {
      const bin = binDir();
      const calls = fakeApt(bin, 'update-stalls-once');
      const result = await runCheck({
        PATH: bin,
        CHROMIUM_PATH: executable(join(bin, 'chromium')),
        TRENDSTREAM_APT_UPDATE_TIMEOUT_MS: '500',
      });
      expect(result.code).toBe(0);
      expect(calls().map((call) => call.args[0])).toEqual(['update', 'update', 'install']);
    });

    it('gives up after a second failed apt-get update, in one line', async () => {
      const bin = binDir();
      const calls = fakeApt(bin, 'update-fails');
      const result = await runCheck({ PATH: bin, CHROMIUM_PATH: executable(join(bin, 'chromium')) });
      expect(result.code).not.toBe(0);
      expect(result.lines).toEqual([
        'check-system: installing redis-server with apt-get... failed: apt-get update exited with 100 (E: The repository is not signed.)',
      ]);
      expect(calls().map((call) => call.args[0])).toEqual(['update', 'update']);
    });

    it('fails with one line when the install fails', async () => {
      const bin = binDir();
      fakeApt(bin, 'install-fails');
      const result = await runCheck({ PATH: bin, CHROMIUM_PATH: executable(join(bin, 'chromium')) });
      expect(result.code).not.toBe(0);
      expect(result.lines).toEqual([
        'check-system: installing redis-server with apt-get... failed: apt-get install exited with 100 (E: Unable to locate package redis-server)',
      ]);
    });
  });
});
