/**
 * `trendstream serve`: runs a hub node (what `npm start` runs). Each setting comes from a flag, an env
 * var or the `--config` JSON file (table: serve-options.ts; precedence: serve-config.ts).
 */
import type { Command } from 'commander';
import { startServer } from '../server/start-server.ts';
import { addServeOptions, serveConfig } from './serve-config.ts';
import { ConfigError } from './serve-options.ts';

export function registerServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description('run a TrendStream hub: WebSocket at /ws, HTTP API, web app, built-in feeds');
  addServeOptions(serve);
  serve.action(() => runServe(serve));
}

async function runServe(command: Command): Promise<void> {
  const config = await serveConfig(command).catch(reportConfigError);
  if (config === undefined) return;
  const server = await startServer(config);
  // SIGTERM (an orchestrator, a rolling restart) drains: the balancer takes the node out first.
  // SIGINT (Ctrl-C) and a second signal close at once; both end in 1012 closes and exit 0.
  let stopping = false;
  const stop = (signal: string): void => {
    const drain = signal === 'SIGTERM' && !stopping;
    process.stderr.write(
      drain
        ? `\n${signal}: draining for ${server.config.drainMs} ms (/healthz 503), then closing connections (1012)\n`
        : `\n${signal}: closing connections (1012) and shutting down\n`,
    );
    stopping = true;
    (drain ? server.drain() : server.close()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.stdout.write(
    `TrendStream on ${server.httpUrl.replace('127.0.0.1', 'localhost')} — WebSocket ${server.wsUrl} — engine ${server.engine.name}\n`,
  );
}

/** A bad setting: one line, no stack trace (the message names the setting and its source), exit 1. */
function reportConfigError(error: unknown): undefined {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
  return undefined;
}
