/**
 * Builds the web app with Vite's JS API when `dist/web` is missing or older than its sources
 * (src/web, the client SDK and the protocol), and returns the absolute path of `dist/web`, which the
 * server serves at `/`. Concurrent callers (two test files, `npm run build`) are serialized with a
 * lock directory, so one builds and the others wait and reuse the result.
 * `npm run build` runs this file (`tsx scripts/build-web.ts`); the web tests import `ensureWebBuild`.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB_DIST = path.join(REPO_ROOT, 'dist', 'web');
const CONFIG_FILE = fileURLToPath(new URL('../src/web/vite.config.ts', import.meta.url));
const LOCK_DIR = path.join(REPO_ROOT, 'dist', '.web-build.lock');
/** The build's sources: a change to any file under these makes the build stale. */
const SOURCES = ['src/web', 'src/client', 'src/protocol'].map((source) => path.join(REPO_ROOT, source));
/** A lock older than this belongs to a build that died; it is taken over. */
const STALE_LOCK_MS = 120_000;
const LOCK_POLL_MS = 100;

/** The absolute path of an up-to-date `dist/web`, building it first when needed. */
export async function ensureWebBuild(): Promise<string> {
  if (!(await isStale())) return WEB_DIST;
  await withBuildLock(async () => {
    // Another process may have built it while this one waited for the lock.
    if (await isStale()) await buildWeb();
  });
  return WEB_DIST;
}

/** True when `dist/web/index.html` is missing or older than any source file. */
export async function isStale(): Promise<boolean> {
  const built = await modifiedAt(path.join(WEB_DIST, 'index.html'));
  if (built === undefined) return true;
  for (const source of SOURCES) {
    if ((await newestModification(source)) > built) return true;
  }
  return false;
}

/**
 * Vite decides "production" (minified JSX runtime, no preact/debug) from NODE_ENV, which test runners
 * set to `test`; the build always runs as production and NODE_ENV is restored afterwards.
 */
async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: CONFIG_FILE, logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

async function withBuildLock(task: () => Promise<void>): Promise<void> {
  await mkdir(path.dirname(LOCK_DIR), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      break;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
      const lockedAt = await modifiedAt(LOCK_DIR);
      if (lockedAt !== undefined && Date.now() - lockedAt > STALE_LOCK_MS) {
        await rm(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  try {
    await task();
  } finally {
    await rm(LOCK_DIR, { recursive: true, force: true });
  }
}

async function modifiedAt(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** The newest mtime of a file, or of any file below a directory (0 when nothing is there). */
async function newestModification(target: string): Promise<number> {
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return 0;
    throw error;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    newest = Math.max(newest, await newestModification(path.join(target, entry.name)));
  }
  return newest;
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

// Run as a script (`tsx scripts/build-web.ts`): build when stale, and say where.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`web app: ${await ensureWebBuild()}`);
}
