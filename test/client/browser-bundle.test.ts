/**
 * The universal entry in a real browser: Vite bundles src/client/index.ts for the browser (it must
 * pull in nothing from Node or `ws`), and Chromium runs the bundle against a real hub with its own
 * global WebSocket, including the browser's offline and online events.
 */
import type { Browser, Page } from 'playwright-core';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

let server: RunningServer;
let browser: Browser;
let bundle: Rollup.OutputChunk;

async function bundleSdk(minify: boolean): Promise<Rollup.OutputChunk> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: {
      write: false,
      minify,
      lib: { entry: `${ROOT}src/client/index.ts`, formats: ['iife'], name: 'TrendStream', fileName: 'sdk' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunk = outputs.flatMap((output) => output.output).find((item) => item.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('vite produced no chunk');
  return chunk;
}

beforeAll(async () => {
  [server, bundle, browser] = await Promise.all([startTestServer(), bundleSdk(true), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function pageWithSdk(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${server.httpUrl}/healthz`);
  await page.addScriptTag({ content: bundle.code });
  return page;
}

describe('browser bundle', () => {
  it('contains only SDK and protocol modules: no Node built-in, no ws, no schema library', () => {
    const modules = Object.keys(bundle.modules).map((id) => id.replace(ROOT, ''));
    expect(modules.filter((id) => !id.startsWith('src/client/') && !id.startsWith('src/protocol/'))).toEqual(
      [],
    );
    // frames.ts holds the TypeBox schemas of client frames: the SDK only uses its types.
    expect(modules).not.toContain('src/protocol/frames.ts');
    expect(bundle.imports).toEqual([]);
    // A Node built-in is imported by a quoted `node:` specifier (a bare `node:` is the frame's field).
    expect(bundle.code).not.toMatch(/require\(|["'`]node:/);
    // Small enough to ship in the web app without a second thought (measured: see the report).
    expect(bundle.code.length).toBeLessThan(20_000);
  });

  it('connects with the global WebSocket, subscribes, publishes with an ack and receives it', async () => {
    const page = await pageWithSdk();
    const result = await page.evaluate(async (url) => {
      const sdk = (window as unknown as { TrendStream: typeof import('../../src/client/index.ts') })
        .TrendStream;
      const client = sdk.createClient(url, { name: 'chromium' });
      const states: string[] = [];
      client.on('status', (s) => states.push(s.state));
      const publication = new Promise<{ seq: number; data: unknown; from?: string }>((resolve) => {
        client.subscribe('echo', {
          onPublication: (p) => resolve({ seq: p.seq, data: p.data, from: p.from?.name }),
        });
      });
      const ack = await client.publish('echo', { from: 'browser' });
      const received = await publication;
      const latency = await client.ping();
      client.disconnect();
      return { ack, received, states, latency };
    }, server.wsUrl);
    expect(result.received).toEqual({ seq: result.ack.seq, data: { from: 'browser' }, from: 'chromium' });
    expect(result.states).toEqual(['connecting', 'connected', 'disconnected']);
    expect(result.latency).toBeLessThan(1000);
    await page.close();
  });

  it('drops the connection on the offline event and reconnects on online', async () => {
    const page = await pageWithSdk();
    await page.evaluate((url) => {
      const sdk = (window as unknown as { TrendStream: typeof import('../../src/client/index.ts') })
        .TrendStream;
      const client = sdk.createClient(url, { baseDelayMs: 20_000, maxDelayMs: 20_000 });
      const log: string[] = [];
      client.on('status', (s) => log.push(`${s.state}${s.reason ? ` ${s.reason}` : ''}`));
      Object.assign(window, { sdkClient: client, statusLog: log });
    }, server.wsUrl);
    await page.waitForFunction(
      () => (window as unknown as { sdkClient: { state: string } }).sdkClient.state === 'connected',
    );
    await page.context().setOffline(true);
    await page.waitForFunction(
      () => (window as unknown as { sdkClient: { state: string } }).sdkClient.state === 'reconnecting',
    );
    const started = Date.now();
    await page.context().setOffline(false);
    await page.waitForFunction(
      () => (window as unknown as { sdkClient: { state: string } }).sdkClient.state === 'connected',
      undefined,
      { timeout: 5000 },
    );
    // The backoff alone would have waited up to 20 s; `online` retried at once.
    expect(Date.now() - started).toBeLessThan(5000);
    const log = await page.evaluate(() => (window as unknown as { statusLog: string[] }).statusLog);
    expect(log).toContain('reconnecting browser offline');
    expect(log.at(-1)).toBe('connected');
    await page.close();
  });
});
