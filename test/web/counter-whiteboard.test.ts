/**
 * The collaborative views across pages on a real hub: the counter agrees between two pages, and a
 * whiteboard stroke drawn in one page appears in another, in a late joiner (snapshot), and goes away
 * everywhere on "clear for everyone", which asks first (Cancel and Escape keep the drawing) and can be
 * undone: Undo brings the strokes back for every page and for people who join later.
 * Screenshots: counter, whiteboard, whiteboard-confirm, whiteboard-undo.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
  context = await newAppContext(browser);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

function counterText(page: Page): Promise<string> {
  return page.getByTestId('counter-value').innerText();
}

/** Pixels of the board canvas that are not the white background. */
function inkedPixels(page: Page): Promise<number> {
  return page.getByTestId('board').evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context) return 0;
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200) inked += 1;
    }
    return inked;
  });
}

/** The colour of the board at a fraction of its width and height. */
function pixelAt(page: Page, fx: number, fy: number): Promise<number[]> {
  return page
    .getByTestId('board')
    .evaluate(
      (canvas: HTMLCanvasElement, [x, y]) => [
        ...canvas
          .getContext('2d')!
          .getImageData(Math.round(canvas.width * x), Math.round(canvas.height * y), 1, 1).data,
      ],
      [fx, fy] as const,
    );
}

function strokeCount(page: Page): Promise<number> {
  return page
    .getByTestId('board')
    .getAttribute('data-strokes')
    .then((value) => Number(value ?? 0));
}

describe('counter', () => {
  it('shows the same value in two pages', async () => {
    const first = await openView(context, server, 'counter');
    const second = await openView(context, server, 'counter');
    const errors = collectPageErrors(first);
    await expect.poll(() => counterText(first)).toBe('0');
    await expect.poll(() => counterText(second)).toBe('0');
    for (let i = 0; i < 3; i += 1) await first.getByTestId('increment').click();
    await second.getByTestId('decrement').click();
    await expect.poll(() => counterText(first)).toBe('2');
    await expect.poll(() => counterText(second)).toBe('2');
    // A page opened later starts from the hub's value (the snapshot).
    const third = await openView(context, server, 'counter');
    await expect.poll(() => counterText(third)).toBe('2');
    await saveScreenshot(first, 'counter');
    expect(errors).toEqual([]);
    await Promise.all([first.close(), second.close(), third.close()]);
  });
});

describe('whiteboard', () => {
  it('shows a stroke drawn in one page in the other and a late joiner; clears it for everyone after asking, with undo', async () => {
    const artist = await openView(context, server, 'whiteboard');
    const viewer = await openView(context, server, 'whiteboard');
    const errors = collectPageErrors(artist);
    expect(await inkedPixels(viewer)).toBe(0);

    // Input goes to the page in front (a page behind takes ~200 ms per mouse event).
    await artist.bringToFront();
    const box = await artist.getByTestId('board').boundingBox();
    if (!box) throw new Error('the board has no size');
    await artist.getByRole('radio', { name: 'Red' }).click();
    await artist.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
    await artist.mouse.down();
    for (let step = 1; step <= 20; step += 1) {
      await artist.mouse.move(
        box.x + box.width * (0.2 + step * 0.03),
        box.y + box.height * (0.3 + step * 0.02),
      );
    }
    await artist.mouse.up();

    await expect.poll(() => strokeCount(viewer)).toBeGreaterThanOrEqual(1);
    await expect.poll(() => inkedPixels(viewer)).toBeGreaterThan(500);
    // The stroke is red where the line passes in the viewer's canvas.
    const middle = await pixelAt(viewer, 0.2 + 10 * 0.03, 0.3 + 10 * 0.02);
    expect(middle[0]).toBeGreaterThan(180);
    expect(middle[1]).toBeLessThan(120);

    const lateJoiner = await openView(context, server, 'whiteboard');
    await expect.poll(() => inkedPixels(lateJoiner)).toBeGreaterThan(500);
    await saveScreenshot(viewer, 'whiteboard');
    const strokes = await strokeCount(viewer);
    const inked = await inkedPixels(viewer);

    // One click only asks, in the page; Cancel and Escape leave the board alone.
    await lateJoiner.bringToFront();
    const dialog = lateJoiner.getByRole('dialog', { name: 'Clear the board for everyone?' });
    await lateJoiner.getByTestId('board-clear').click();
    await dialog.waitFor();
    // The safe choice has the focus.
    expect(
      await dialog.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement),
    ).toBe(true);
    await saveScreenshot(lateJoiner, 'whiteboard-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await lateJoiner.getByTestId('board-clear').click();
    await dialog.waitFor();
    await lateJoiner.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await strokeCount(viewer)).toBe(strokes);
    expect(await inkedPixels(viewer)).toBe(inked);

    // Confirmed: gone everywhere, with Undo offered to the one who cleared (and only to them).
    await lateJoiner.getByTestId('board-clear').click();
    await lateJoiner.getByTestId('board-clear-dialog-confirm').click();
    await expect.poll(() => inkedPixels(artist)).toBe(0);
    await expect.poll(() => inkedPixels(viewer)).toBe(0);
    await expect.poll(() => inkedPixels(lateJoiner)).toBe(0);
    const undo = lateJoiner.getByTestId('board-undo');
    await undo.waitFor();
    expect(await viewer.getByTestId('board-undo').count()).toBe(0);
    await viewer.getByTestId('board-cleared-by').waitFor();
    await saveScreenshot(lateJoiner, 'whiteboard-undo');

    // Undo publishes the strokes again: back for every page, the same colour where the line was.
    await undo.click();
    await expect.poll(() => inkedPixels(viewer)).toBeGreaterThan(inked * 0.95);
    await expect.poll(() => inkedPixels(artist)).toBeGreaterThan(inked * 0.95);
    await expect.poll(() => inkedPixels(lateJoiner)).toBeGreaterThan(inked * 0.95);
    const restored = await pixelAt(viewer, 0.2 + 10 * 0.03, 0.3 + 10 * 0.02);
    expect(restored[0]).toBeGreaterThan(180);
    expect(restored[1]).toBeLessThan(120);
    await lateJoiner.getByTestId('board-undo-bar').waitFor({ state: 'detached' });
    // In the hub's snapshot too: someone opening the board now sees the drawing.
    const afterUndo = await openView(context, server, 'whiteboard');
    await expect.poll(() => inkedPixels(afterUndo)).toBeGreaterThan(inked * 0.95);
    expect(errors).toEqual([]);
    await Promise.all([artist.close(), viewer.close(), lateJoiner.close(), afterUndo.close()]);
  });
});
