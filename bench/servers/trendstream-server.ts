/**
 * (d) TrendStream itself, as `trendstream serve` runs it: memory engine, feeds off, logging silent,
 * the publish API on (the bench publisher uses it) and rate limits out of the way.
 */
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import { startServer } from '../../src/server/start-server.ts';
import { TRENDSTREAM_API_KEY } from './kinds.ts';
import type { StartedServer } from './started-server.ts';

export async function startTrendStreamServer(host: string): Promise<StartedServer> {
  const server = await startServer({
    port: 0,
    host,
    logLevel: 'silent',
    feeds: NO_FEEDS,
    apiKey: TRENDSTREAM_API_KEY,
    rateLimitPerSecond: 1_000_000,
    rateLimitBurst: 1_000_000,
  });
  return { port: server.port };
}
