/** A real TrendStream server on a free loopback port, with test defaults (no feeds, silent logs). */
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/start-server.ts';

export type { RunningServer };

export function startTestServer(overrides: StartOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', feeds: NO_FEEDS, ...overrides });
}
