/**
 * Chat between two browser contexts (two users) on a real hub: names, the join notice, the typing
 * indicator (shown to the others but not to the one typing, then cleared about 2 s after the last
 * keystroke), messages both ways, history for
 * a late joiner, and text that looks like HTML rendered as text. Screenshot: chat.
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
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchChromium()]);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

async function openChatAs(name: string): Promise<Page> {
  const context = await newAppContext(browser);
  contexts.push(context);
  const page = await openView(context, server, 'chat');
  await page.getByTestId('name-input').fill(name);
  await page.getByTestId('name-save').click();
  // The name applies to a new connection: wait until the member list shows it as this page.
  await page.getByTestId('members').getByText(`${name} (you)`).waitFor();
  return page;
}

describe('chat', () => {
  it('two users see the join notice, typing indicator and each other’s messages', async () => {
    const alice = await openChatAs('alice');
    const errors = collectPageErrors(alice);
    const bob = await openChatAs('bob');

    await alice.getByTestId('messages').getByText('bob joined').waitFor();
    await alice.getByTestId('members').getByText('bob').waitFor();
    await bob.getByTestId('members').getByText('alice').waitFor();

    await bob.getByTestId('message-input').pressSequentially('hel', { delay: 30 });
    await expect.poll(() => alice.getByTestId('typing').innerText()).toBe('bob is typing…');
    const typedAt = Date.now();
    // Bob's own announcements come back to him too (the hub sends them to every member): not shown.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await bob.getByTestId('typing').innerText()).toBe('');
    // Cleared about 2 s after the last keystroke, not before.
    await expect
      .poll(() => alice.getByTestId('typing').innerText(), { timeout: 5000, interval: 100 })
      .toBe('');
    const clearedAfter = Date.now() - typedAt;
    expect(clearedAfter).toBeGreaterThan(1200);
    expect(clearedAfter).toBeLessThan(3500);

    await bob.getByTestId('message-input').fill('hello alice');
    await bob.getByTestId('message-input').press('Enter');
    await alice.getByTestId('messages').getByText('hello alice').waitFor();
    await alice.getByTestId('message-input').fill('<img src=x onerror="window.pwned=1"><b>hi bob</b>');
    await alice.getByTestId('message-input').press('Enter');
    const unsafe = bob.getByTestId('messages').getByText('<b>hi bob</b>', { exact: false });
    await unsafe.waitFor();
    // Shown as text: no element was created from it and no script ran.
    expect(await bob.getByTestId('messages').locator('b, img').count()).toBe(0);
    expect(await bob.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    // Alice renders her own copy on her next animation frame: wait for it, then check there is one.
    await alice.getByTestId('messages').locator('.message.mine').first().waitFor();
    expect(await alice.getByTestId('messages').locator('.message.mine').count()).toBe(1);

    // Someone joining later gets the history.
    const carol = await openChatAs('carol');
    await carol.getByTestId('messages').getByText('hello alice').waitFor();
    await alice.getByTestId('messages').getByText('carol joined').waitFor();
    // Names are picked before joining: no guest connections come and go in the room.
    const transcript = await alice.getByTestId('messages').innerText();
    expect(transcript).not.toMatch(/guest-/);
    expect(transcript.match(/You joined #lobby/g)).toHaveLength(1);
    await saveScreenshot(alice, 'chat');

    // Leaving is announced too.
    await carol.close();
    await alice.getByTestId('messages').getByText('carol left').waitFor();
    expect(errors).toEqual([]);
  });
});
