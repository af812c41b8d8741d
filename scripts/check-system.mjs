// `npm test` runs this first: are the system programs the suites start installed (redis-server,
// Chromium, tmux)? Silent and instant when they are. When one is missing: as root with apt-get it installs
// it (one line), otherwise it stops at once with one line per missing program and the command that
// installs it, instead of letting the suites fail by the screenful.
// TRENDSTREAM_SKIP_SYSTEM_CHECK=1 skips the check. For its tests: TRENDSTREAM_NO_INSTALL=1 never
// installs, TRENDSTREAM_APT_UPDATE_TIMEOUT_MS shortens the apt-get update bound,
// TRENDSTREAM_SBIN_DIRS replaces the sbin folders searched besides PATH.
// Node 20 built-ins only: this runs before anything else is known to work.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import process from 'node:process';

const APT_UPDATE_TIMEOUT_MS = Number(process.env.TRENDSTREAM_APT_UPDATE_TIMEOUT_MS) || 120_000;
const APT_INSTALL_TIMEOUT_MS = 600_000;
/** Where test/helpers/chromium.ts looks when CHROMIUM_PATH is not set. */
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/**
 * Debian installs nginx and HAProxy in /usr/sbin, which a normal user's PATH lacks; the suites
 * (test/balancer/load-balancer.ts) look there too.
 */
const SBIN_DIRS = (process.env.TRENDSTREAM_SBIN_DIRS ?? '/usr/sbin:/usr/local/sbin').split(delimiter);

/**
 * What the suites spawn: test/helpers/redis-server.ts (`redis-server` on PATH),
 * test/helpers/chromium.ts (CHROMIUM_PATH, else /usr/bin/chromium) and test/terminal/tmux-terminal.ts
 * (`tmux` on PATH: `trendstream watch` in a real terminal) and test/balancer/ (`nginx` and `haproxy`,
 * on PATH or in /usr/sbin: the example configs behind a rolling restart). `problem()` is undefined when the program is there; `aptHelps()` is false when the
 * Debian package would not fix it (CHROMIUM_PATH names some other file).
 */
const REQUIREMENTS = [
  {
    name: 'redis-server',
    apt: 'redis-server',
    install: '`SUDOapt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)',
    problem: () => (onPath('redis-server') ? undefined : 'not on PATH'),
    aptHelps: () => true,
  },
  {
    name: 'chromium',
    apt: 'chromium',
    install: '`SUDOapt-get install chromium` (Debian) or `brew install --cask chromium` (macOS)',
    problem: chromiumProblem,
    aptHelps: () => !process.env.CHROMIUM_PATH,
  },
  {
    name: 'tmux',
    apt: 'tmux',
    install: '`SUDOapt-get install tmux` (Debian/Ubuntu) or `brew install tmux` (macOS)',
    problem: () => (onPath('tmux') ? undefined : 'not on PATH'),
    aptHelps: () => true,
  },
  {
    name: 'nginx',
    apt: 'nginx',
    install: '`SUDOapt-get install nginx` (Debian/Ubuntu) or `brew install nginx` (macOS)',
    problem: () => (onPath('nginx') || inSbin('nginx') ? undefined : 'not on PATH'),
    aptHelps: () => true,
  },
  {
    name: 'haproxy',
    apt: 'haproxy',
    install: '`SUDOapt-get install haproxy` (Debian/Ubuntu) or `brew install haproxy` (macOS)',
    problem: () => (onPath('haproxy') || inSbin('haproxy') ? undefined : 'not on PATH'),
    aptHelps: () => true,
  },
];

function main() {
  if (process.env.TRENDSTREAM_SKIP_SYSTEM_CHECK === '1') return 0;
  let missing = REQUIREMENTS.filter((r) => r.problem() !== undefined);
  if (missing.length === 0) return 0;
  const aptGet = canInstall() ? onPath('apt-get') : undefined;
  const packages = missing.filter((r) => r.aptHelps()).map((r) => r.apt);
  if (aptGet && packages.length > 0) {
    if (!install(aptGet, packages)) return 1;
    missing = missing.filter((r) => r.problem() !== undefined);
  }
  for (const r of missing) say(advice(r));
  return missing.length === 0 ? 0 : 1;
}

/** One line: what is missing and the exact command that fixes it. */
function advice(requirement) {
  const command = requirement.install.replaceAll('SUDO', process.getuid?.() === 0 ? '' : 'sudo ');
  const { CHROMIUM_PATH } = process.env;
  if (requirement.name !== 'chromium') return `missing ${requirement.name}: install it with ${command}`;
  if (CHROMIUM_PATH) {
    return `missing chromium: CHROMIUM_PATH=${CHROMIUM_PATH} is not an executable file; point it at Chromium, or unset it and install it with ${command}`;
  }
  const elsewhere = onPath('chromium') ?? onPath('chromium-browser');
  if (elsewhere) return `missing chromium: not at ${DEFAULT_CHROMIUM}; run with CHROMIUM_PATH=${elsewhere}`;
  return `missing chromium: not at ${DEFAULT_CHROMIUM}; install it with ${command}`;
}

function chromiumProblem() {
  const path = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  return isExecutableFile(path) ? undefined : `no executable at ${path}`;
}

function canInstall() {
  return process.env.TRENDSTREAM_NO_INSTALL !== '1' && process.getuid?.() === 0;
}

/** Installs `packages`, saying what and how long, or why it failed, in one line. */
function install(aptGet, packages) {
  const started = Date.now();
  process.stdout.write(`check-system: installing ${packages.join(' ')} with apt-get... `);
  const failure = aptFailure(aptGet, packages);
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(failure ? `failed: ${failure}\n` : `done in ${seconds} s\n`);
  return !failure;
}

/**
 * apt-get update (bounded, and retried once: it has been seen to stall once and succeed at once on
 * a retry), then a bounded quiet install. Returns undefined, or why it failed.
 */
function aptFailure(aptGet, packages) {
  const update = () => run(aptGet, ['update', '-qq'], APT_UPDATE_TIMEOUT_MS);
  const updateFailure = update() && update(); // the second only when the first failed or stalled
  if (updateFailure) return `apt-get update ${updateFailure}`;
  const installFailure = run(aptGet, ['install', '-y', '-qq', ...packages], APT_INSTALL_TIMEOUT_MS);
  return installFailure && `apt-get install ${installFailure}`;
}

/** Runs a command with its output captured; returns undefined on success, else a short reason. */
function run(command, args, timeoutMs) {
  const result = spawnSync(command, args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    // SIGTERM, as `timeout` sends: apt-get then stops its download methods and frees its lock.
    killSignal: 'SIGTERM',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error?.code === 'ETIMEDOUT') return `timed out after ${timeoutMs / 1000} s`;
  if (result.error) return result.error.message;
  if (result.status === 0) return undefined;
  // apt-get's own verdict ("E: Unable to locate package ...") if it gave one, else its last word.
  const lines = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const reason = lines.find((line) => line.startsWith('E:')) ?? lines.at(-1);
  return `exited with ${result.status ?? result.signal}${reason ? ` (${reason.slice(0, 200)})` : ''}`;
}

/** The full path of `name` in a PATH directory, if there is an executable file by that name. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function inSbin(name) {
  return SBIN_DIRS.some((dir) => dir !== '' && isExecutableFile(join(dir, name)));
}

function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function say(line) {
  process.stderr.write(`${line}\n`);
}

process.exitCode = main();
