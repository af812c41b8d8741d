/**
 * The dashboard across a real outage, in Chromium: the hub stops for 5 s and comes back on the same
 * port. While it is down the cards and the charts say they are stale (visibly and in their text
 * alternatives); once live again the note goes, and the hole in the samples is a gap in the charts
 * (a null row in their data) rather than a line joining the last point before to the first after.
 * The same when the hub stays up but the samples stop (no sample for three intervals). Screenshots
 * during and after the outage: desktop 1280×800 and phone 390×844, dark and light
 * (artifacts/screenshots/, the whole page and `-screen` for what fits on the screen).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import { MetricsFeed } from '../../src/feeds/metrics-feed.ts';
import type { Feed, FeedContext } from '../../src/feeds/types.ts';
import type { RunningServer } from '../helpers/start-test-server.ts';
import {
  collectPageErrors,
  launchChromium,
  newAppContext,
  openView,
  saveScreenshot,
  startWebServer,
} from './browser-harness.ts';

const METRICS_ON = { feeds: { ...NO_FEEDS, metrics: true, activity: true } };
const OUTAGE_MS = 5000;

let server: RunningServer | undefined;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(METRICS_ON), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Screen {
  name: string;
  context: BrowserContext;
  page: Page;
  errors: string[];
}

const SCREENS = [
  { name: 'desktop-dark', width: 1280, height: 800, light: false },
  { name: 'desktop-light', width: 1280, height: 800, light: true },
  { name: 'phone-dark', width: 390, height: 844, light: false },
  { name: 'phone-light', width: 390, height: 844, light: true },
];

async function openScreens(hub: RunningServer): Promise<Screen[]> {
  return Promise.all(
    SCREENS.map(async ({ name, width, height, light }) => {
      const context = await browser.newContext({
        viewport: { width, height },
        deviceScaleFactor: 1,
        colorScheme: light ? 'light' : 'dark',
      });
      const page = await context.newPage();
      // The SDK logs failed reconnect attempts while the hub is down; those are expected.
      const errors = collectPageErrors(page, [/WebSocket/i, /ERR_CONNECTION_REFUSED/]);
      await page.goto(`${hub.httpUrl}/#/dashboard`);
      await statusIs(page, 'connected');
      return { name, context, page, errors };
    }),
  );
}

function statusIs(page: Page, state: string): Promise<void> {
  return page.locator(`[data-testid="status"][data-state="${state}"]`).first().waitFor({ timeout: 30_000 });
}

interface ChartState {
  points: number;
  gaps: number;
  /** Epoch seconds of the null rows. */
  gapTimes: number[];
  label: string;
  stale: boolean;
}

function chartState(page: Page, chart: string): Promise<ChartState> {
  return page.getByTestId(chart).evaluate((figure) => {
    const host = figure.querySelector<HTMLElement>('.chart-host');
    return {
      points: Number(host?.dataset.points ?? 0),
      gaps: Number(host?.dataset.gaps ?? 0),
      gapTimes: (host?.dataset.gapTimes ?? '').split(' ').filter(Boolean).map(Number),
      label: host?.getAttribute('aria-label') ?? '',
      stale: figure.classList.contains('is-stale'),
    };
  });
}

function staleNote(page: Page): Promise<string> {
  return page.getByTestId('metrics-stale').innerText();
}

/** The whole page, and what fits on the screen at the size a person would see it. */
async function shoot(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, name);
  await saveScreenshot(page, `${name}-screen`, { fullPage: false });
}

describe('dashboard across an outage', () => {
  it('marks cards and charts stale while the hub is down, and shows the hole as a gap after', async () => {
    const screens = await openScreens(server!);
    const page = screens[0].page;
    for (const { page: each } of screens) {
      await expect
        .poll(async () => (await chartState(each, 'chart-usage')).points, { timeout: 8000 })
        .toBeGreaterThanOrEqual(3);
    }
    // Live: no note, nothing marked.
    expect(await staleNote(page)).toBe('');
    expect(await page.getByTestId('metric-cards').getAttribute('data-stale')).toBeNull();
    const before = await chartState(page, 'chart-usage');
    expect(before.stale).toBe(false);
    expect(before.label).toMatch(
      /^CPU & memory, \d\d:\d\d:\d\d to \d\d:\d\d:\d\d\. Latest: CPU [\d.]+% \(range/,
    );

    const port = server!.port;
    await server!.close();
    server = undefined;
    const downAt = Date.now();
    for (const { page: each } of screens) {
      await expect
        .poll(() => staleNote(each))
        .toMatch(/^Stale · last update \d\d:\d\d:\d\d \((connection lost|disconnected)\)$/);
    }
    expect(await page.getByTestId('metric-cards').getAttribute('data-stale')).toBe('true');
    for (const chart of ['chart-usage', 'chart-network', 'chart-data']) {
      const state = await chartState(page, chart);
      expect(state.stale).toBe(true);
      expect(state.label).toMatch(/Stale · last update \d\d:\d\d:\d\d/);
      expect(await page.getByTestId(`${chart}-stale`).innerText()).toMatch(/^Stale · last update/);
    }
    // The stale figures stay readable (they are the last known values), only marked.
    expect(await page.getByTestId('card-cpu').innerText()).toMatch(/CPU\s+[\d.]+%/);
    for (const { page: each, name } of screens) await shoot(each, `dashboard-outage-${name}`);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
    const pointsWhileDown = (await chartState(page, 'chart-usage')).points;
    server = await startWebServer({ ...METRICS_ON, port });
    const upAt = Date.now();
    await statusIs(page, 'connected');
    console.log(
      `web app live again ${Date.now() - upAt} ms after the hub came back (outage ${OUTAGE_MS} ms)`,
    );

    for (const { page: each } of screens) {
      await expect.poll(() => staleNote(each), { timeout: 30_000 }).toBe('');
      await expect
        .poll(async () => (await chartState(each, 'chart-usage')).points, { timeout: 8000 })
        .toBeGreaterThan(pointsWhileDown);
    }
    expect(await page.getByTestId('metric-cards').getAttribute('data-stale')).toBeNull();
    // The outage is a gap: a row of nulls between the last sample before it and the first after.
    const outage = { from: downAt / 1000 - 3, to: upAt / 1000 };
    for (const chart of ['chart-usage', 'chart-network', 'chart-data']) {
      const state = await chartState(page, chart);
      expect(state.stale).toBe(false);
      const inOutage = state.gapTimes.filter((time) => time > outage.from && time < outage.to);
      expect(inOutage, `${chart}: gaps at ${state.gapTimes.join(', ')}`).toHaveLength(1);
      expect(state.label).toMatch(/ \d+ gaps? with no data\.$/);
    }
    for (const { page: each, name } of screens) await shoot(each, `dashboard-after-outage-${name}`);
    for (const { context, errors } of screens) {
      expect(errors).toEqual([]);
      await context.close();
    }
  }, 90_000);

  it('marks the data stale when samples stop coming while the connection stays up', async () => {
    const feed = new SilenceableFeed();
    const hub = await startWebServer({ feedList: [feed] });
    try {
      const context = await newAppContext(browser);
      const page = await openView(context, hub, 'dashboard');
      await expect
        .poll(async () => (await chartState(page, 'chart-usage')).points, { timeout: 8000 })
        .toBeGreaterThanOrEqual(3);
      expect(await staleNote(page)).toBe('');
      feed.silent = true;
      const silentAt = Date.now();
      // More than three sample intervals without a sample: stale, though connected.
      await expect
        .poll(() => staleNote(page), { timeout: 8000 })
        .toMatch(/^Stale · last update \d\d:\d\d:\d\d \(no new samples\)$/);
      expect(Date.now() - silentAt).toBeGreaterThanOrEqual(2500);
      expect(await page.locator('[data-testid="status"]').first().getAttribute('data-state')).toBe(
        'connected',
      );
      expect((await chartState(page, 'chart-data')).stale).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      feed.silent = false;
      await expect.poll(() => staleNote(page), { timeout: 5000 }).toBe('');
      // The silence is a gap too.
      await expect
        .poll(async () => (await chartState(page, 'chart-usage')).gaps, { timeout: 5000 })
        .toBeGreaterThanOrEqual(1);
      await context.close();
    } finally {
      await hub.close();
    }
  });
});

/** The real metrics feed, whose publications can be held back (a feed that went quiet). */
class SilenceableFeed implements Feed {
  readonly name = 'metrics';
  silent = false;
  readonly #inner = new MetricsFeed();

  start(context: FeedContext): void {
    this.#inner.start({
      publish: (channel, data) => (this.silent ? Promise.resolve() : context.publish(channel, data)),
      activity: (entry) => context.activity(entry),
      deliveryRate: () => context.deliveryRate(),
      connectionCount: () => context.connectionCount(),
      log: context.log,
    });
  }

  stop(): void {
    this.#inner.stop();
  }
}
