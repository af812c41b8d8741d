/**
 * The hub under soak, in its own process so its RSS and event-loop delay are its own (the soak runner
 * and its 1 000 clients live in another). Feeds on (the activity feed off: its entries would share the
 * `events` channel the runner checks message by message), the memory engine unless SOAK_REDIS_URL is
 * set. Prints `ready <port>`; SIGTERM shuts it down gracefully.
 */
import { startServer } from '../../src/server/start-server.ts';

async function main(): Promise<void> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    logLevel: 'warn',
    apiKey: process.env.SOAK_API_KEY ?? '',
    redisUrl: process.env.SOAK_REDIS_URL ?? '',
    feeds: { trends: true, metrics: true, stocks: true, notifications: true, activity: false },
    trendIntervalMs: 1000,
  });
  process.stdout.write(`ready ${server.port}\n`);
  process.once('SIGTERM', function shutDown() {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
