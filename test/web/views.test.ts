/**
 * The feed views and the playground in Chromium on a real hub: trends by category subscription,
 * the stock ticker and its chart, notifications (toast, bell, dismiss, mark all read), and echo
 * messages broadcast to another tab. Screenshots: trends, stocks, notifications, playground.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPayload } from '../../src/protocol/payloads.ts';
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import type { RunningServer } from '../helpers/start-test-server.ts';
import {
  collectPageErrors,
  launchChromium,
  newAppContext,
  openView,
  saveScreenshot,
  startWebServer,
} from './browser-harness.ts';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startWebServer({ feeds: { ...NO_FEEDS, trends: true, stocks: true }, trendIntervalMs: 500 }),
    launchChromium(),
  ]);
  context = await newAppContext(browser);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

function subscribersOf(channel: string): number {
  return [...server.hub.clients()].filter((client) => client.subscriptions.has(channel)).length;
}

function categoriesShown(page: Page): Promise<string[]> {
  return page.locator('.trend-category').allTextContents();
}

function notification(id: string, title: string): NotificationPayload {
  return { id, level: 'warn', title, message: `${title} message`, timestamp: new Date().toISOString() };
}

describe('trends', () => {
  it('lists trends of the selected categories, each category its own subscription', async () => {
    const page = await openView(context, server, 'trends');
    const errors = collectPageErrors(page);
    await page.getByTestId('trend-list').waitFor();
    await expect.poll(async () => new Set(await categoriesShown(page)).has('music')).toBe(true);
    expect(subscribersOf('trends:music')).toBe(1);
    // Sorted by score, highest first.
    const scores = (await page.locator('.trend-score').allInnerTexts()).map((text) =>
      Number(text.replace(/,/g, '')),
    );
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(await page.locator('.trend-change').first().innerText()).toMatch(/^[▲▼•] [\d,]+$/);
    await saveScreenshot(page, 'trends');

    await page.getByRole('button', { name: 'music', exact: true }).click();
    await expect.poll(() => subscribersOf('trends:music')).toBe(0);
    await expect.poll(async () => new Set(await categoriesShown(page)).has('music')).toBe(false);
    await page.getByRole('button', { name: 'music', exact: true }).click();
    await expect.poll(() => subscribersOf('trends:music')).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('stocks', () => {
  it('shows the ticker with live prices and a price chart', async () => {
    const page = await openView(context, server, 'stocks');
    await page.getByTestId('ticker').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('ticker').locator('tbody tr').count()).toBeGreaterThan(3);
    const prices = (): Promise<string> =>
      page
        .locator('.price')
        .allInnerTexts()
        .then((all) => all.join('|'));
    const before = await prices();
    await expect.poll(prices, { timeout: 5000 }).not.toBe(before);
    await expect
      .poll(() => page.locator('[data-testid="chart-price"] .chart-host').getAttribute('data-points'))
      .not.toMatch(/^[01]?$/);
    await saveScreenshot(page, 'stocks');
    await page.close();
  });
});

describe('notifications', () => {
  it('toasts new notifications, counts them on the bell, and dismisses or marks them read', async () => {
    const page = await openView(context, server, 'notifications');
    await server.hub.publish('notifications', notification('n1', 'Disk almost full'));
    await server.hub.publish('notifications', notification('n2', 'Deploy finished'));
    await page.getByTestId('toast').filter({ hasText: 'Deploy finished' }).waitFor();
    await expect.poll(() => page.getByTestId('unread-count').innerText()).toBe('2');
    await saveScreenshot(page, 'notifications');

    await page.getByRole('button', { name: 'Dismiss Disk almost full' }).click();
    await expect.poll(() => page.getByTestId('unread-count').innerText()).toBe('1');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => page.getByTestId('unread-count').count()).toBe(0);
    expect(await page.locator('.notification').count()).toBe(1);
    await page.close();
  });
});

describe('playground', () => {
  it('broadcasts a message sent in one tab to every tab on echo', async () => {
    const sender = await openView(context, server, 'playground');
    const receiver = await openView(context, server, 'playground');
    await expect.poll(() => subscribersOf('echo')).toBe(2);
    await sender.bringToFront();
    await sender.getByTestId('echo-input').fill('{"hello":"tabs"}');
    await sender.getByTestId('echo-input').press('Enter');
    await receiver.getByTestId('echo-log').getByText('{"hello":"tabs"}').waitFor();
    await sender.getByTestId('echo-log').getByText('{"hello":"tabs"}').waitFor();
    await saveScreenshot(receiver, 'playground');
    await Promise.all([sender.close(), receiver.close()]);
  });
});
