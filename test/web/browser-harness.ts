/**
 * What the web end-to-end tests share: Debian's Chromium through playwright-core, a real server that
 * serves the freshly built app, screenshots in artifacts/screenshots/, and a page-error collector.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { StartOptions } from '../../src/server/start-server.ts';
import { ensureWebBuild } from '../../scripts/build-web.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';

const SCREENSHOT_DIR = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));

export { launchChromium };

/** A real server (test defaults: no feeds unless asked) serving the built web app at `/`. */
export async function startWebServer(overrides: StartOptions = {}): Promise<RunningServer> {
  const webRoot = await ensureWebBuild();
  return startTestServer({ webRoot, ...overrides });
}

export async function newAppContext(browser: Browser, options: { phone?: boolean; light?: boolean } = {}) {
  return browser.newContext({
    viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: options.light ? 'light' : 'dark',
    acceptDownloads: true,
  });
}

/** Opens a view of the app and waits until the page is connected to the hub. */
export async function openView(context: BrowserContext, server: RunningServer, view: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.httpUrl}/#/${view}`);
  await page.locator('[data-testid="status"][data-state="connected"]').first().waitFor();
  return page;
}

/** Uncaught errors and console errors of a page, to assert there were none. */
export function collectPageErrors(page: Page, ignore: RegExp[] = []): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (!ignore.some((pattern) => pattern.test(text))) errors.push(`console: ${text}`);
  });
  return errors;
}

/** The whole page (or, with `fullPage: false`, what fits on the screen) in artifacts/screenshots/. */
export async function saveScreenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  const file = await screenshotPath(name);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** One element (a status pill, a stats panel) in artifacts/screenshots/. */
export async function saveElementScreenshot(element: Locator, name: string): Promise<string> {
  const file = await screenshotPath(name);
  await element.screenshot({ path: file });
  return file;
}

async function screenshotPath(name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}
