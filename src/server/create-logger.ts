/**
 * The node's pino logger: JSON lines for log collectors (the default), or readable lines for a person
 * at a terminal (`logFormat: 'pretty'`).
 */
import { pino, type Logger, type LoggerOptions } from 'pino';
import type { ServerConfig } from './config.ts';

export async function createLogger(config: Pick<ServerConfig, 'logLevel' | 'logFormat'>): Promise<Logger> {
  const options: LoggerOptions = { level: config.logLevel, name: 'trendstream' };
  if (config.logFormat === 'json') return pino(options);
  // Loaded only when asked for: JSON nodes and embedding applications never load the formatter.
  const { default: pretty } = await import('pino-pretty');
  // A stream in the main thread, written synchronously like pino's own stdout: no worker thread
  // (a pino transport) per node, and no lines lost when the process exits right after logging.
  const stream = pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return pino(options, stream);
}
