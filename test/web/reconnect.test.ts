/**
 * Connection loss as a user sees it. Server restart: the status turns to "reconnecting in Ns
 * (attempt k)" when the hub goes away, and when a hub comes back on the same port the page reconnects
 * by itself, resubscribes, and the dashboard carries on. Network cut (a TCP proxy, reached through the
 * `?ws=` override): the points published meanwhile are filled in, so the chart has no hole.
 * Screenshot: the reconnecting state.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import type { RunningServer } from '../helpers/start-test-server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import {
  launchChromium,
  newAppContext,
  openView,
  saveScreenshot,
  startWebServer,
} from './browser-harness.ts';

const METRICS_ON = { feeds: { ...NO_FEEDS, metrics: true } };

let server: RunningServer | undefined;
let browser: Browser;
let proxy: TcpProxy | undefined;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(METRICS_ON), launchChromium()]);
});

afterAll(async () => {
  await proxy?.close();
  await browser?.close();
  await server?.close();
});

function statusOf(page: Page): Promise<string | null> {
  return page.getByTestId('status').first().getAttribute('data-state');
}

function usagePoints(page: Page): Promise<number> {
  return page
    .locator('[data-testid="chart-usage"] .chart-host')
    .getAttribute('data-points')
    .then((value) => Number(value ?? 0));
}

describe('reconnection', () => {
  it('shows reconnecting while the hub is down and recovers by itself when it is back', async () => {
    const first = server!;
    const context = await newAppContext(browser);
    const page = await openView(context, first, 'dashboard');
    await expect.poll(() => usagePoints(page), { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    const port = first.port;

    await first.close();
    server = undefined;
    await expect.poll(() => statusOf(page)).toBe('reconnecting');
    const text = await page.getByTestId('status').first().innerText();
    // A countdown to the next attempt, or "Reconnecting…" while one is under way; "Retry now" beside it.
    expect(text).toMatch(/^Reconnecting( in \d+s|…) \(attempt \d+\)$/);
    await expect.poll(() => page.getByTestId('retry-now').first().isVisible()).toBe(true);
    await saveScreenshot(page, 'reconnecting');

    // Let a few attempts fail, then bring a hub back on the same port.
    await expect
      .poll(() => page.getByTestId('status').first().innerText(), { timeout: 8000 })
      .toMatch(/attempt [2-9]/);
    const pointsWhileDown = await usagePoints(page);
    server = await startWebServer({ ...METRICS_ON, port });
    await expect.poll(() => statusOf(page), { timeout: 15_000 }).toBe('connected');
    // Resubscribed: the new hub streams to this page again and the chart keeps the old points too.
    await expect.poll(() => usagePoints(page), { timeout: 5000 }).toBeGreaterThan(pointsWhileDown);
    expect(await page.getByTestId('stat-clients').innerText()).toBe('1');
    await context.close();
  });

  it('fills in the points published while the network was cut, from the hub', async () => {
    const hub = server!;
    proxy = await startTcpProxy({ targetPort: hub.port });
    const context = await newAppContext(browser);
    const page = await context.newPage();
    await page.goto(`${hub.httpUrl}/?ws=${encodeURIComponent(proxy.wsUrl('/ws'))}#/dashboard`);
    await expect.poll(() => statusOf(page)).toBe('connected');
    await expect.poll(() => usagePoints(page), { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    const before = await exportedSeqs(page);

    proxy.refuseNew(true);
    proxy.dropAll();
    await expect.poll(() => statusOf(page)).toBe('reconnecting');
    await page.waitForTimeout(3500);
    proxy.refuseNew(false);
    await expect.poll(() => statusOf(page), { timeout: 15_000 }).toBe('connected');
    expect(proxy.acceptedCount).toBeGreaterThanOrEqual(2);

    // Every seq from before the cut to now is on the chart: the missed ones came back from the hub.
    await expect
      .poll(async () => (await exportedSeqs(page)).at(-1) ?? 0, { timeout: 5000 })
      .toBeGreaterThan(before.at(-1)! + 4);
    const after = await exportedSeqs(page);
    const first = after.indexOf(before[0]);
    expect(first).toBeGreaterThanOrEqual(0);
    const span = after.slice(first);
    expect(span).toEqual(span.map((_, index) => before[0] + index));
    await context.close();
  });
});

/** The seq column of the dashboard's CSV export (the buffered chart points, oldest first). */
async function exportedSeqs(page: Page): Promise<number[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  return csv
    .trim()
    .split(/\r\n/)
    .slice(1)
    .map((line) => Number(line.split(',')[1]));
}
