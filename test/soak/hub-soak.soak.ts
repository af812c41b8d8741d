/**
 * The soak (`npm run soak`, not part of `npm test`): 1 000 SDK clients on one hub for 10 minutes,
 * through the chaos proxy (rare resets, delays and half-closes) with reconnect churn on top, while the
 * HTTP API publishes sequenced events, clients chat and increment a counter, and the feeds tick.
 * Every 10 s the hub's RSS, heap and event-loop delay are sampled from /metrics. At the end: is memory
 * flat, did every client get every event exactly once, and does every counter show the same value?
 *
 * Environment: SOAK_DURATION_S (600), SOAK_CLIENTS (1000), SOAK_SAMPLE_S (10), SOAK_CHURN_PER_S (5),
 * SOAK_REDIS_URL (memory engine when unset), RELIABILITY_SEED.
 */
import { afterAll, expect, it } from 'vitest';
import { runFixture, type FixtureProcess } from '../redis/fixtures/child-process.ts';
import { startChaosProxy, type ChaosProxy, type FaultPlan } from '../reliability/chaos-proxy.ts';
import { seededRandom, suiteSeed } from '../reliability/seeded-random.ts';
import { memoryVerdict } from './memory-verdict.ts';
import { formatSample, sampleServer, type ServerSample } from './server-metrics.ts';
import { CHAT_CHANNEL, COUNTER_CHANNEL, SoakFleet, sleep, until } from './soak-fleet.ts';

const DURATION_S = numberFromEnv('SOAK_DURATION_S', 600);
const CLIENTS = numberFromEnv('SOAK_CLIENTS', 1000);
const SAMPLE_S = numberFromEnv('SOAK_SAMPLE_S', 10);
const CHURN_PER_S = numberFromEnv('SOAK_CHURN_PER_S', 5);
const EVENTS_PER_S = 20;
const API_KEY = 'soak-api-key';
const seed = suiteSeed();

/** Gentle compared with the chaos suites: about one fault per connection every two minutes. */
const SOAK_FAULTS: FaultPlan = {
  meanIntervalMs: 120_000,
  graceMs: 1000,
  weights: { reset: 3, delay: 6, 'half-close-client': 1, 'half-close-server': 1 },
  delayMs: [50, 500],
};

let server: FixtureProcess | undefined;
let proxy: ChaosProxy | undefined;
let fleet: SoakFleet | undefined;

afterAll(async () => {
  fleet?.close();
  await proxy?.close();
  server?.child.kill('SIGTERM');
  await server?.kill();
});

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

it(
  `${CLIENTS} clients for ${DURATION_S} s with reconnect churn: memory flat, every event exactly once`,
  async () => {
    server = runFixture('test/soak/soak-server.ts', {
      SOAK_API_KEY: API_KEY,
      SOAK_REDIS_URL: process.env.SOAK_REDIS_URL ?? '',
    });
    const port = Number((await server.waitForLine('ready')).split(' ')[1]);
    const httpUrl = `http://127.0.0.1:${port}`;
    proxy = await startChaosProxy(port, seed);
    fleet = new SoakFleet(proxy.wsUrl('/ws'), seededRandom(seed + 1));
    const started = Date.now();
    const elapsed = (): number => Math.round((Date.now() - started) / 1000);
    console.info(`[soak] seed ${seed}: ${CLIENTS} clients, ${DURATION_S} s, samples every ${SAMPLE_S} s`);
    await fleet.connect(CLIENTS);
    console.info(`[soak] ${CLIENTS} clients subscribed after ${elapsed()} s`);

    const samples: ServerSample[] = [];
    const sampler = setInterval(() => {
      sampleServer(httpUrl, elapsed()).then(
        (sample) => {
          samples.push(sample);
          console.info(`[soak] ${formatSample(sample)}`);
        },
        (error: unknown) => console.warn(`[soak] sample failed: ${String(error)}`),
      );
    }, SAMPLE_S * 1000);

    proxy.start(SOAK_FAULTS);
    fleet.startChurn(CHURN_PER_S);
    const activeFleet = fleet;
    const chatter = setInterval(() => {
      activeFleet
        .pick((m) => m.chatSubscriber)
        ?.client.publish(CHAT_CHANNEL, { text: `hello at ${elapsed()} s` })
        .catch(() => undefined);
      activeFleet
        .pick((m) => m.counterSubscriber)
        ?.client.publish(COUNTER_CHANNEL, { op: 'increment' })
        .catch(() => undefined);
    }, 250);

    let published = 0;
    let publishFailures = 0;
    const deadline = started + DURATION_S * 1000;
    while (Date.now() < deadline) {
      const response = await fetch(`${httpUrl}/api/publish`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'events', data: { n: published } }),
      }).catch(() => undefined);
      if (response?.ok) published += 1;
      else publishFailures += 1;
      await sleep(1000 / EVENTS_PER_S);
    }

    clearInterval(chatter);
    proxy.stop();
    fleet.stopChurn();
    const total = published;
    await until(
      () => activeFleet.members.every((m) => m.events.nextExpected >= total),
      'every client to receive every event',
      60_000,
    ).catch(() => undefined);
    await sleep(2000); // the last counter increments
    clearInterval(sampler);
    samples.push(await sampleServer(httpUrl, elapsed()));

    const members = fleet.members;
    const behind = members.filter((m) => m.events.nextExpected < total).length;
    const violations = members.reduce((sum, m) => sum + m.events.violations.length, 0);
    const unrecovered = members.reduce((sum, m) => sum + m.events.unrecovered.length, 0);
    const reconnects = members.reduce((sum, m) => sum + m.events.reconnects, 0);
    const checked = members.reduce((sum, m) => sum + m.events.received, 0);
    const counterValues = new Set(members.filter((m) => m.counterSubscriber).map((m) => m.counterValue));
    const warmup = Math.min(60, DURATION_S / 4); // short runs (SOAK_DURATION_S=60) still get a verdict
    const rss = memoryVerdict(samples, 'rssMb', warmup);
    const heap = memoryVerdict(samples, 'heapMb', warmup);
    const worstLoop = Math.max(...samples.map((s) => s.loopP99Ms));
    console.info(
      [
        `[soak] done after ${elapsed()} s: ${total} events published (${publishFailures} HTTP retries), ` +
          `${checked} deliveries checked, ${behind} clients behind, ${violations} order violations, ` +
          `${unrecovered} resubscriptions not recovered`,
        `[soak] churn: ${fleet.churned} disconnects, ${proxy.totalFaults} injected faults ` +
          `${JSON.stringify(proxy.faults)}, ${reconnects} reconnects`,
        `[soak] counter values seen by subscribers: ${JSON.stringify([...counterValues])}`,
        `[soak] memory flat: ${rss.flat && heap.flat ? 'YES' : 'NO'} — RSS ${rss.early} → ${rss.late} MB ` +
          `(${rss.growthPercent}%), heap ${heap.early} → ${heap.late} MB (${heap.growthPercent}%); ` +
          `worst event-loop p99 ${worstLoop} ms`,
      ].join('\n'),
    );

    expect(behind).toBe(0);
    expect(violations).toBe(0);
    expect(unrecovered).toBe(0);
    expect(counterValues.size).toBe(1);
    expect(rss.flat).toBe(true);
    expect(heap.flat).toBe(true);
  },
  (DURATION_S + 300) * 1000,
);
