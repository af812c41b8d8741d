/**
 * Cookie authentication through the connect proxy, in a real browser: a page of the application's
 * origin connects as the cookie's user; a page of another origin, which the browser sends the same
 * cookie from, is refused at the upgrade, before the backend is asked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.ts';
import { startTestBackend, type TestBackend } from '../helpers/backend-server.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';

/** A site that serves one empty page: an origin to run scripts from. */
async function startSite(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>site</title>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let browser: Browser;
let context: BrowserContext;
let backend: TestBackend;
let hub: RunningServer;
let app: { origin: string; server: Server };
let evil: { origin: string; server: Server };

beforeAll(async () => {
  [browser, backend, app, evil] = await Promise.all([
    launchChromium(),
    startTestBackend(),
    startSite(),
    startSite(),
  ]);
  backend.on('/connect', ({ body }) => {
    const cookie = (body as { headers: Record<string, string> }).headers.cookie ?? '';
    return cookie.includes('session=s3cret')
      ? { json: { result: { user: 'ada', name: 'Ada' } } }
      : { json: { error: { code: 4500, message: 'no session' } } };
  });
  hub = await startTestServer({ connectProxyUrl: backend.url('/connect'), allowedOrigins: [app.origin] });
  context = await browser.newContext();
  // The application's session cookie, as its login would have set it: sent to every port of this host.
  await context.addCookies([{ name: 'session', value: 's3cret', domain: '127.0.0.1', path: '/' }]);
}, 30_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await hub?.close();
  await backend?.stop();
  app?.server.close();
  evil?.server.close();
});

/** Opens the hub's WebSocket from a page of `origin`: the first frame, or how it closed. */
async function connectFrom(
  origin: string,
): Promise<{ first?: { type: string; user?: { user?: string } }; code?: number }> {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/`);
    return await page.evaluate(
      (url) =>
        new Promise((resolve) => {
          const ws = new WebSocket(url);
          ws.onmessage = (event) => {
            resolve({ first: JSON.parse(String(event.data)) as { type: string } });
            ws.close();
          };
          ws.onclose = (event) => resolve({ code: event.code });
        }),
      hub.wsUrl,
    );
  } finally {
    await page.close();
  }
}

describe('connect proxy with cookies in Chromium', () => {
  it("lets a page of the application's origin in as the cookie's user", async () => {
    const result = await connectFrom(app.origin);
    expect(result.first).toMatchObject({ type: 'connection', user: { user: 'ada' } });
    const [call] = backend.calls('/connect');
    expect((call.body as { headers: Record<string, string> }).headers).toMatchObject({ origin: app.origin });
  });

  it('refuses a page of another origin before asking the backend, though the browser sent the cookie', async () => {
    const asked = backend.calls('/connect').length;
    const result = await connectFrom(evil.origin);
    expect(result).toEqual({ code: 1006 }); // HTTP 403 on the upgrade: no WebSocket at all
    expect(backend.calls('/connect')).toHaveLength(asked);
  });
});
