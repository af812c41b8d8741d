/**
 * What the page says about its connection, in Chromium on a real hub (issue 17: #2, #5, #6):
 * - a hub restart (1012) is followed by a reconnection within 2 s of the new hub listening;
 * - while the hub is away the pill counts down with a "Retry now" button that connects at once, and the
 *   connection stats keep showing the hub's 1012 "server restarting" while the retries fail with 1006;
 * - a 70 KB playground message is refused by the SDK (too_large), the log says why and the connection
 *   stays up; plain text is shown as text, JSON as JSON.
 * Screenshots (both themes, artifacts/screenshots/): the pill while reconnecting and the connection stats.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../helpers/start-test-server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import {
  collectPageErrors,
  launchChromium,
  newAppContext,
  openView,
  saveElementScreenshot,
  saveScreenshot,
  startWebServer,
} from './browser-harness.ts';

let server: RunningServer | undefined;
let browser: Browser;
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await browser?.close();
  await server?.close();
});

/** Stops the hub (1012 to every client) and starts a new one on the same port; resolves when it listens. */
async function restartHub(): Promise<number> {
  const port = server!.port;
  await server!.close();
  server = undefined;
  server = await startWebServer({ port });
  return Date.now();
}

function pill(page: Page) {
  return page.getByTestId('status').first();
}

/** Records, in the page, every state the header's status pill takes. */
async function recordStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { pillStates: string[] };
    w.pillStates = [];
    const target = document.querySelector('[data-testid="status"]')!;
    new MutationObserver(() => w.pillStates.push(target.getAttribute('data-state') ?? '')).observe(target, {
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
  return () => page.evaluate(() => (window as unknown as { pillStates: string[] }).pillStates);
}

describe('connection truth', () => {
  it('reconnects within 2 s of a restarted hub listening and shows its 1012 as the last close', async () => {
    const context = await newAppContext(browser);
    const page = await openView(context, server!, 'dashboard');
    const listening = await restartHub();
    await page.locator('[data-testid="status"][data-state="connected"]').first().waitFor({ timeout: 10_000 });
    expect(Date.now() - listening).toBeLessThan(2000);
    await expect
      .poll(() => page.getByTestId('stat-last-close').innerText())
      .toMatch(/^1012 server restarting\nat \d\d:\d\d:\d\d$/);
    await context.close();
  });

  it('keeps the 1012 shown while retries fail, and "Retry now" connects at once', async () => {
    // Math.random near 1: every backoff delay is near its ceiling (0.6 s, 1 s, 2 s, 4 s…), and each page
    // reaches the hub through its own TCP proxy (the `?ws=` override), which refuses connections until
    // that page's turn: a reconnection within a second of the click can only be the click's.
    const pages: Array<{ page: Page; context: BrowserContext; proxy: TcpProxy; theme: string }> = [];
    for (const theme of ['dark', 'light']) {
      const proxy = await startTcpProxy({ targetPort: server!.port });
      proxies.push(proxy);
      const context = await newAppContext(browser, { light: theme === 'light' });
      await context.addInitScript(() => (Math.random = () => 0.999));
      const page = await context.newPage();
      await page.goto(`${server!.httpUrl}/?ws=${encodeURIComponent(proxy.wsUrl('/ws'))}#/dashboard`);
      await page.locator('[data-testid="status"][data-state="connected"]').first().waitFor();
      pages.push({ page, context, proxy, theme });
    }
    const errors = collectPageErrors(pages[0].page);
    for (const { proxy } of pages) proxy.refuseNew(true);
    await restartHub(); // 1012 to each page through its proxy; the retries are refused (1006)

    for (const { page, theme } of pages) {
      await expect.poll(() => pill(page).innerText(), { timeout: 8000 }).toMatch(/attempt [4-9]\)$/);
      await expect(page.getByTestId('retry-now').first().isVisible()).resolves.toBe(true);
      // Nothing from the lost connection is shown as current.
      expect(await page.getByTestId('stat-clients').innerText()).toBe('–');
      expect(await page.getByTestId('stat-latency').innerText()).toBe('–');
      // The hub's close, not the retries' 1006, is the last close; the failures are said apart.
      expect(await page.getByTestId('stat-last-close').innerText()).toMatch(/^1012 server restarting\nat /);
      expect(await page.getByTestId('stat-last-failure').innerText()).toMatch(
        /^1006 no close frame\n[3-9] retries failed$/,
      );
      await saveElementScreenshot(page.locator('.header-tools'), `pill-reconnecting-${theme}`);
      await saveElementScreenshot(page.getByTestId('stats'), `connection-stats-${theme}`);
      await saveScreenshot(page, `connection-reconnecting-${theme}`);
    }

    for (const { page, proxy } of pages) {
      // Right after a failed attempt: the next one is seconds away, "Retry now" does not wait for it.
      await expect.poll(() => pill(page).innerText(), { timeout: 8000 }).toMatch(/^Reconnecting in [3-5]s /);
      proxy.refuseNew(false);
      const clicked = Date.now();
      await page.getByTestId('retry-now').first().click();
      await page.locator('[data-testid="status"][data-state="connected"]').first().waitFor({ timeout: 5000 });
      expect(Date.now() - clicked).toBeLessThan(1500);
      await expect(page.getByTestId('retry-now').count()).resolves.toBe(0);
      expect(await page.getByTestId('stat-last-close').innerText()).toMatch(/^1012 server restarting\nat /);
      expect(await page.getByTestId('stat-last-failure').count()).toBe(0);
    }
    await saveElementScreenshot(pages[0].page.getByTestId('stats'), 'connection-stats-after-dark');
    // Refused connections are logged by Chromium itself; nothing else may fail.
    expect(errors.filter((error) => !/WebSocket/.test(error))).toEqual([]);
    for (const { context } of pages) await context.close();
  });

  it('refuses an oversized playground message in the SDK and stays connected; text is shown as text', async () => {
    const context = await newAppContext(browser);
    const page = await openView(context, server!, 'playground');
    await page.getByTestId('echo-log').getByText('Joined echo').waitFor();
    const states = await recordStates(page);
    const input = page.getByTestId('echo-input');

    await input.fill('hello, plain text');
    await input.press('Enter');
    await page.getByTestId('echo-log').locator('.echo-text', { hasText: 'hello, plain text' }).waitFor();
    expect(await page.getByTestId('echo-log').innerText()).not.toContain('{"text"');
    await input.fill('{"json":true}');
    await input.press('Enter');
    await page.getByTestId('echo-log').locator('code', { hasText: '{"json":true}' }).waitFor();

    await input.fill('x'.repeat(70 * 1024));
    await input.press('Enter');
    const error = page.getByTestId('echo-error').first();
    await error.waitFor();
    expect(await error.innerText()).toMatch(
      /^Not sent: the message is too large \(\d+ bytes, over the hub's limit of 65536\)\. The connection stays up\.$/,
    );
    for (const theme of ['dark', 'light']) {
      if (theme === 'light') await page.getByTestId('theme-toggle').click();
      await saveElementScreenshot(page.getByTestId('echo-log'), `playground-too-large-${theme}`);
    }

    // Nothing was sent: no 1009, no reconnect, and the channel still works.
    await input.fill('still here');
    await input.press('Enter');
    await page.getByTestId('echo-log').locator('.echo-text', { hasText: 'still here' }).waitFor();
    expect(await states()).toEqual([]);
    expect(await pill(page).getAttribute('data-state')).toBe('connected');
    await context.close();
  });
});
