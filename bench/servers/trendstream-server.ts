/**
 * (d) TrendStream itself, as `trendstream serve` runs it: memory engine, feeds off, logging silent,
 * the publish API on (the bench publisher uses it) and rate limits out of the way. Scenarios that
 * need more (the backend proxies, namespaces) pass their settings as `overrides`.
 */
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import type { ServerConfig } from '../../src/server/config.ts';
import { startServer } from '../../src/server/start-server.ts';
import { TRENDSTREAM_API_KEY } from './kinds.ts';
import type { StartedServer } from './started-server.ts';

/** Server settings a scenario may change (JSON: they travel to the server process as an argument). */
export type TrendStreamOverrides = Partial<ServerConfig>;

export async function startTrendStreamServer(
  host: string,
  overrides: TrendStreamOverrides = {},
): Promise<StartedServer> {
  const server = await startServer({
    port: 0,
    host,
    logLevel: 'silent',
    feeds: NO_FEEDS,
    apiKey: TRENDSTREAM_API_KEY,
    rateLimitPerSecond: 1_000_000,
    rateLimitBurst: 1_000_000,
    ...overrides,
  });
  return { port: server.port };
}
