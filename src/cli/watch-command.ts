/**
 * `trendstream watch [url]`: the terminal client. Interactive by default; `--once` prints one
 * snapshot and exits (`--json` for scripts). Option parsing only; the work is in src/terminal/.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { TREND_CATEGORIES, type TrendCategory } from '../protocol/payloads.ts';
import { parseCategoryList } from '../terminal/category-keys.ts';

export const DEFAULT_WATCH_URL = 'ws://localhost:8765/ws';
const DEFAULT_ONCE_TIMEOUT_MS = 10_000;

interface WatchFlags {
  categories?: TrendCategory[];
  once?: boolean;
  json?: boolean;
  color: boolean;
  /** true with --ascii, false with --no-ascii, undefined to follow the locale. */
  ascii?: boolean;
  name?: string;
  token?: string;
  timeout: number;
}

function parseCategoriesOption(value: string): TrendCategory[] {
  try {
    return parseCategoryList(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function parseTimeoutOption(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new InvalidArgumentError('expected a positive number of milliseconds');
  return ms;
}

async function watchAction(url: string, flags: WatchFlags): Promise<void> {
  // --json alone implies --once: the interactive view has no JSON form.
  if (flags.once === true || flags.json === true) {
    const { runOnce } = await import('../terminal/run-once.ts');
    await runOnce({
      url,
      categories: flags.categories ?? [...TREND_CATEGORIES],
      json: flags.json === true,
      ascii: flags.ascii,
      timeoutMs: flags.timeout,
      name: flags.name,
      token: flags.token,
    });
    return;
  }
  // Loaded on demand: React and Ink are not needed by the other commands or by --once.
  const { runWatch } = await import('../terminal/run-watch.tsx');
  await runWatch({
    url,
    categories: flags.categories ?? [],
    color: flags.color,
    ascii: flags.ascii,
    name: flags.name,
    token: flags.token,
  });
}

export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description('watch live trends in the terminal (keys toggle categories; Q quits)')
    .argument('[url]', 'WebSocket URL of the hub', DEFAULT_WATCH_URL)
    .option(
      '-c, --categories <list>',
      `comma-separated categories to watch (${TREND_CATEGORIES.join(', ')}, all)`,
      parseCategoriesOption,
    )
    .option('--once', 'print one snapshot of the trends and exit (all categories unless --categories)')
    .option('--json', 'print one snapshot as JSON and exit (implies --once)')
    .option('--no-color', 'no colours (also when NO_COLOR is set or stdout is not a terminal)')
    .option(
      '--ascii',
      'plain ASCII arrows, sparklines and symbols (the default when LC_ALL / LC_CTYPE / LANG is not UTF-8)',
    )
    .option('--no-ascii', 'Unicode arrows, sparklines and symbols whatever the locale says')
    .option('--name <name>', 'display name on the hub')
    .option('--token <jwt>', 'JWT for a hub that requires authentication')
    .option(
      '--timeout <ms>',
      'with --once: give up after this long',
      parseTimeoutOption,
      DEFAULT_ONCE_TIMEOUT_MS,
    )
    .action(async function onWatch(url: string, flags: WatchFlags) {
      try {
        await watchAction(url, flags);
      } catch (error) {
        process.stderr.write(
          `trendstream watch: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exitCode = 1;
      }
    });
}
