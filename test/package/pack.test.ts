/**
 * The package as users get it: `npm pack` (which builds through `prepack`) in a copy of the checkout,
 * the tarball installed into an empty project, then used the way the README says — the compiled
 * `trendstream serve` bin, a plain `.mjs` script on `trendstream/client`, a TypeScript consumer
 * type-checked against the installed types, and a browser bundle of the SDK.
 * The copy keeps the build away from the checkout's own dist/, which other suites serve from.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeProcess } from '../helpers/serve-process.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** What `npm pack` needs from a checkout (the rest of it is tests, bench and tooling). */
const PACKED_SOURCES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const PACKED_DIRS = ['bin', 'src', 'scripts', 'docs', 'examples'];
const BROWSER_BUNDLE_LIMIT = 6 * 1024;

let work: string;
let app: string;
let files: string[];
let serve: ChildProcess | undefined;
let port: number;

async function packTarball(): Promise<string> {
  const checkout = path.join(work, 'checkout');
  await mkdir(checkout);
  for (const file of [...PACKED_SOURCES, 'README.md', 'LICENSE'])
    await cp(path.join(REPO, file), path.join(checkout, file));
  for (const dir of PACKED_DIRS)
    await cp(path.join(REPO, dir), path.join(checkout, dir), { recursive: true });
  await symlink(path.join(REPO, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: checkout,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [report] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  files = report.files.map((file) => file.path);
  return path.join(work, report.filename);
}

async function installInto(tarball: string): Promise<void> {
  await mkdir(app);
  await writeFile(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'adopter', private: true, type: 'module' }),
  );
  // From the npm cache that `npm ci` filled; the registry only for what is missing there.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app });
}

async function startServe(): Promise<number> {
  const bin = path.join(app, 'node_modules', '.bin', 'trendstream');
  const served = await startServeProcess(
    bin,
    ['serve', '--port', '0', '--host', '127.0.0.1', '--no-trends', '--no-stocks', '--no-notifications'],
    { cwd: app, env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  serve = served.child;
  return served.port;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'trendstream-pack-'));
  app = path.join(work, 'app');
  await installInto(await packTarball());
  port = await startServe();
}, 240_000);

afterAll(async () => {
  serve?.kill('SIGKILL');
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the compiled package, the built web app and docs, and no tests, bench, CI or tooling', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/trendstream.js',
        'dist/cli/main.js',
        'dist/web/index.html',
        'dist/client/index.d.ts',
        'dist/index.js',
        'README.md',
        'docs/protocol.md',
        'docs/backend.md',
        'docs/scale-out.md',
        'examples/backend/server.mjs',
        'examples/nginx/nginx.conf',
        'examples/haproxy/haproxy.cfg',
        'LICENSE',
        'package.json',
      ]),
    );
    const unwanted = files.filter(
      (file) =>
        /^(test|bench|\.ci|scripts|src)\//.test(file) ||
        /(eslint|prettier|vitest|tsconfig)/.test(file) ||
        (file.endsWith('.ts') && !file.endsWith('.d.ts')) ||
        file.includes('tsbuildinfo'),
    );
    expect(unwanted).toEqual([]);
  });

  it('installs without TypeScript tooling, Vite or the web app libraries', async () => {
    const installed = await readdir(path.join(app, 'node_modules'));
    for (const buildTool of ['tsx', 'typescript', 'vite', 'preact', 'uplot', 'vitest'])
      expect(installed).not.toContain(buildTool);
    expect(existsSync(path.join(app, 'node_modules', 'ws'))).toBe(true);
  });
});

describe('npx trendstream serve from the installed package', () => {
  it('answers /healthz, serves the web app and accepts WebSocket clients', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', engine: 'memory' });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script type="module"[^>]*src="\.\/assets\/index-/);
    const client = await WsTestClient.connect(`ws://127.0.0.1:${port}/ws?name=packed`);
    expect(client.frames[0]).toMatchObject({ type: 'connection', user: { name: 'packed' } });
    client.close();
  });
});

describe('trendstream/client from a plain .mjs script', () => {
  it('subscribes, publishes and receives its own publication', async () => {
    const script = path.join(app, 'echo.mjs');
    await writeFile(
      script,
      `import { createClient, Channel, ErrorCode } from 'trendstream/client';
const client = createClient(process.argv[2], { name: 'script' });
const received = new Promise((resolve) => client.subscribe(Channel.Echo, { onPublication: (p) => resolve(p) }));
const ack = await client.publish(Channel.Echo, { hello: 'from a script' });
const publication = await received;
console.log(JSON.stringify({ ack, data: publication.data, from: publication.from.name, forbidden: ErrorCode.Forbidden }));
client.disconnect();
`,
    );
    const { stdout } = await run(process.execPath, [script, `ws://127.0.0.1:${port}/ws`], {
      cwd: app,
      timeout: 15_000,
    });
    const result = JSON.parse(stdout) as {
      ack: { seq: number };
      data: unknown;
      from: string;
      forbidden: string;
    };
    expect(result).toMatchObject({
      data: { hello: 'from a script' },
      from: 'script',
      forbidden: 'forbidden',
    });
    expect(result.ack.seq).toBeGreaterThan(0);
  });
});

describe('a TypeScript consumer', () => {
  it('type-checks against the installed types, with payloads typed by channel', async () => {
    await writeFile(
      path.join(app, 'consumer.ts'),
      `import { startServer, type RunningServer, type Engine } from 'trendstream';
import { createClient, Channel, CloseCode, type TrendStreamErrorCode, type MetricsPayload } from 'trendstream/client';
import { isMetricsPayload, trendCategoryChannel, type ServerFrame } from 'trendstream/protocol';

export async function demo(): Promise<void> {
  const server: RunningServer = await startServer({ port: 0, feeds: { trends: false, metrics: true, stocks: false, notifications: false, activity: false } });
  const engine: Engine = server.engine;
  const client = createClient(server.wsUrl, { name: engine.name });
  client.subscribe(Channel.Metrics, {
    onPublication: (publication) => {
      const cpu: number = publication.data.cpu;
      const sample: MetricsPayload = publication.data;
      console.log(cpu, sample.network_sent);
    },
    onSubscribed: (info) => console.log(info.snapshot?.memory),
  });
  client.subscribe(trendCategoryChannel('music'), { onPublication: (p) => console.log(p.data.topics[0]?.name) });
  const counter = client.subscribe('counter:clicks', { onPublication: (p) => console.log(p.data.value + 1) });
  await counter.publish({ op: 'increment' });
  // @ts-expect-error a counter takes {op: 'increment' | 'decrement'}
  await counter.publish({ op: 'double' });
  // @ts-expect-error only the server publishes to metrics
  await client.publish(Channel.Metrics, { cpu: 1 });
  client.on('error', (error) => {
    const code: TrendStreamErrorCode = error.code;
    console.log(code === 'bad_payload');
  });
  client.on('status', (status) => console.log(status.code === CloseCode.ServiceRestart));
  const frame: ServerFrame = { type: 'pong' };
  console.log(frame, isMetricsPayload({}));
  await server.close();
}
`,
    );
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [path.join(REPO, 'node_modules', '@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', path.join(app, 'tsconfig.json')], {
      cwd: app,
    }).then(
      () => '',
      (error: Error & { stdout?: string }) => error.stdout || error.message,
    );
    expect(result).toBe('');
  });
});

describe('the SDK in a browser bundle', () => {
  it('bundles trendstream/client to at most 6 KB gzipped, with no Node code', async () => {
    const entry = path.join(app, 'browser-entry.js');
    await writeFile(entry, "export { createClient, Channel } from 'trendstream/client';\n");
    const result = await build({
      configFile: false,
      logLevel: 'silent',
      root: app,
      // IIFE: Vite keeps whitespace in ES library output, while an application's bundle is fully minified.
      build: {
        write: false,
        minify: true,
        lib: { entry, formats: ['iife'], name: 'TrendStream', fileName: 'sdk' },
      },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
    const chunk = outputs.flatMap((output) => output.output).find((item) => item.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('vite produced no chunk');
    const modules = Object.keys(chunk.modules);
    expect(modules.filter((id) => !id.includes('/node_modules/trendstream/dist/') && id !== entry)).toEqual(
      [],
    );
    expect(modules.some((id) => id.endsWith('/dist/client/node.js'))).toBe(false);
    expect(chunk.imports).toEqual([]);
    expect(chunk.code).not.toMatch(/require\(|["'`]node:|from"ws"|from 'ws'/);
    const gzipped = gzipSync(chunk.code).length;
    console.log(`[pack] browser SDK bundle: ${chunk.code.length} B minified, ${gzipped} B gzipped`);
    expect(gzipped).toBeLessThanOrEqual(BROWSER_BUNDLE_LIMIT);
  });
});
