/**
 * The trends view is a table a screen reader can navigate: column headers (`th scope="col"`), the
 * topic as each row's header, and a text alternative on each sparkline. On a phone the category and
 * sparkline columns give way, header and cells alike. Screenshots: trends-table (desktop, phone).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startWebServer({ feeds: { ...NO_FEEDS, trends: true }, trendIntervalMs: 500 }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('trends table', () => {
  it('has column headers, row headers and described sparklines', async () => {
    const context = await newAppContext(browser);
    const page = await openView(context, server, 'trends');
    const errors = collectPageErrors(page);
    const table = page.getByRole('table', { name: 'Trending topics, highest score first' });
    await table.locator('tbody tr').first().waitFor();
    const headers = await table.locator('thead th[scope="col"]').allInnerTexts();
    expect(headers.map((text) => text.trim())).toEqual([
      '#',
      'Topic',
      'Category',
      'Recent',
      'Score',
      'Change',
    ]);
    expect(await page.getByRole('columnheader', { name: 'Score' }).count()).toBe(1);
    // Each row is headed by its topic, and every cell sits under a header.
    const firstRow = table.locator('tbody tr').first();
    expect(await firstRow.locator('th[scope="row"]').count()).toBe(1);
    expect(await firstRow.locator('td, th').count()).toBe(headers.length);
    await expect
      .poll(() => firstRow.getByRole('img').getAttribute('aria-label'))
      .toMatch(/^(Rising|Falling) over the last \d+ ticks$/);
    await saveScreenshot(page, 'trends-table');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('drops the category and sparkline columns on a phone, headers included', async () => {
    const context = await newAppContext(browser, { phone: true });
    const page = await openView(context, server, 'trends');
    const table = page.getByTestId('trend-list');
    await table.locator('tbody tr').first().waitFor();
    const visibleHeaders = await table
      .locator('thead th')
      .evaluateAll((cells) =>
        cells
          .filter((cell) => getComputedStyle(cell).display !== 'none')
          .map((cell) => cell.textContent?.trim()),
      );
    expect(visibleHeaders).toEqual(['#', 'Topic', 'Score', 'Change']);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'trends-table-phone');
    await context.close();
  });
});
