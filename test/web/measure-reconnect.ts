/**
 * Measures how long clients take to be live again after a 5 s hub restart (issue 17, defect 2).
 * Not a test (vitest does not pick it up): run `npx tsx test/web/measure-reconnect.ts [trials]`.
 *
 * Each trial starts a hub serving the built web app, connects Node SDK clients (default options) with a
 * subscription each, and Chromium pages on the playground, stops the hub (1012), starts a new one on the
 * same port 5 s later and measures from "listening again" to:
 * - Node: the `connected` status, and the resubscription (`onSubscribed` with `first: false`);
 * - Chromium: the status pill turning `connected` (a MutationObserver stamps the time in the page).
 */
import type { Browser, Page } from 'playwright-core';
import { createClient } from '../../src/client/node.ts';
import type { TrendStreamClient } from '../../src/client/types.ts';
import type { RunningServer } from '../helpers/start-test-server.ts';
import { launchChromium, newAppContext, openView, startWebServer } from './browser-harness.ts';

const OUTAGE_MS = 5000;
const NODE_CLIENTS = 8;
const PAGES = 3;
const GIVE_UP_MS = 40_000;

interface NodeProbe {
  client: TrendStreamClient;
  connectedAt?: number;
  resubscribedAt?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + GIVE_UP_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(10);
  }
}

function nodeProbe(url: string): NodeProbe {
  const probe: NodeProbe = { client: createClient(url, { name: 'probe' }) };
  probe.client.on('status', (status) => {
    if (status.state === 'connected' && status.previous === 'reconnecting') probe.connectedAt ??= Date.now();
  });
  probe.client.subscribe('echo', {
    onSubscribed: (info) => {
      if (!info.first) probe.resubscribedAt ??= Date.now();
    },
  });
  return probe;
}

async function pageProbe(browser: Browser, server: RunningServer): Promise<Page> {
  const context = await newAppContext(browser);
  const page = await openView(context, server, 'playground');
  await page.evaluate(() => {
    const w = window as unknown as { connectedAgainAt?: number };
    let wasDown = false;
    new MutationObserver(() => {
      const state = document.querySelector('[data-testid="status"]')?.getAttribute('data-state');
      if (state !== 'connected') wasDown = true;
      else if (wasDown) w.connectedAgainAt ??= Date.now();
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  return page;
}

async function trial(browser: Browser): Promise<{ node: number[]; resub: number[]; web: number[] }> {
  const first = await startWebServer();
  const probes = Array.from({ length: NODE_CLIENTS }, () => nodeProbe(first.wsUrl));
  const pages = await Promise.all(Array.from({ length: PAGES }, () => pageProbe(browser, first)));
  await waitUntil(() => probes.every((p) => p.client.state === 'connected'), 'the Node clients');
  await sleep(300);
  await first.close();
  await sleep(OUTAGE_MS);
  const second = await startWebServer({ port: first.port });
  const listening = Date.now();
  const webTimes = async () =>
    Promise.all(
      pages.map((page) =>
        page.evaluate(() => (window as unknown as { connectedAgainAt?: number }).connectedAgainAt),
      ),
    );
  await waitUntil(
    () => probes.every((p) => p.resubscribedAt !== undefined),
    'the Node clients to resubscribe',
  );
  await waitUntil(async () => (await webTimes()).every((t) => t !== undefined), 'the pages to reconnect');
  const web = (await webTimes()).map((t) => t! - listening);
  for (const probe of probes) probe.client.disconnect();
  await Promise.all(pages.map((page) => page.context().close()));
  await second.close();
  return {
    node: probes.map((p) => p.connectedAt! - listening),
    resub: probes.map((p) => p.resubscribedAt! - listening),
    web,
  };
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return `${label.padEnd(22)} n=${String(sorted.length).padStart(3)}  median ${at(0.5)} ms  mean ${Math.round(mean)} ms  p90 ${at(0.9)} ms  max ${sorted.at(-1)} ms`;
}

const trials = Number(process.argv[2] ?? 5);
const browser = await launchChromium();
const all = { node: [] as number[], resub: [] as number[], web: [] as number[] };
try {
  for (let i = 0; i < trials; i += 1) {
    const result = await trial(browser);
    console.log(`trial ${i + 1}: node ${result.node.join(' ')} | web ${result.web.join(' ')}`);
    all.node.push(...result.node);
    all.resub.push(...result.resub);
    all.web.push(...result.web);
  }
} finally {
  await browser.close();
}
console.log(`after a ${OUTAGE_MS / 1000} s outage, from "listening again" to live:`);
console.log(summary('Node SDK connected', all.node));
console.log(summary('Node SDK resubscribed', all.resub));
console.log(summary('Chromium page connected', all.web));
