/**
 * Server restart as a user sees it: the status turns to "reconnecting in Ns (attempt k)" when the hub
 * goes away, and when a hub comes back on the same port the page reconnects by itself, resubscribes,
 * and the dashboard carries on (new points after the old ones). Screenshot: the reconnecting state.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FEEDS } from '../../src/server/config.ts';
import type { RunningServer } from '../helpers/start-test-server.ts';
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

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(METRICS_ON), launchChromium()]);
});

afterAll(async () => {
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
    expect(text).toMatch(/^Reconnecting in \d+s \(attempt \d+\)$/);
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
});
