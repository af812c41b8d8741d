/**
 * Interactive `trendstream watch`: connects, renders the Ink app on the alternate screen and,
 * on Q, Ctrl-C, SIGINT, SIGTERM or SIGHUP, unsubscribes, closes the connection and restores the
 * terminal. An uncaught error restores it too, before Node prints the error, so the message
 * lands on the normal screen instead of vanishing with the alternate one.
 */
import { render } from 'ink';
import type { TrendCategory } from '../protocol/payloads.ts';
import { enterAlternateScreen } from './alternate-screen.ts';
import { makeTheme, shouldUseColor } from './color-mode.ts';
import { ThemeContext } from './components/theme-context.ts';
import { WatchApp } from './components/watch-app.tsx';
import { glyphsFor, shouldUseAscii } from './glyphs.ts';
import { createNodeClient } from './node-client.ts';
import { createWatchSession } from './watch-session.ts';
import { initialWatchState } from './watch-state.ts';
import { createWatchStore } from './watch-store.ts';

export interface RunWatchOptions {
  url: string;
  categories: TrendCategory[];
  /** False with `--no-color`. */
  color: boolean;
  /** True with `--ascii`, false with `--no-ascii`, undefined to follow the locale. */
  ascii?: boolean;
  name?: string;
  token?: string;
}

// SIGINT too: Ctrl-C reaches Ink as a key in raw mode, but `kill -INT` does not.
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function runWatch(options: RunWatchOptions): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new Error('watch needs an interactive terminal; for scripts use --once (with --json for JSON)');
  }
  const colors = shouldUseColor({
    colorFlag: options.color,
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  });
  const ascii = shouldUseAscii({ asciiFlag: options.ascii, env: process.env, platform: process.platform });
  const client = createNodeClient(options.url, { name: options.name, token: options.token });
  const store = createWatchStore(initialWatchState(options.categories));
  const session = createWatchSession(client, store);
  const screen = enterAlternateScreen(process.stdout);
  const app = render(
    <ThemeContext.Provider value={makeTheme(colors, glyphsFor(ascii))}>
      <WatchApp url={options.url} store={store} session={session} />
    </ThemeContext.Provider>,
    { exitOnCtrlC: true },
  );
  function onStopSignal(): void {
    app.unmount();
  }
  function onUncaughtError(): void {
    // Only when the error ends the process: nothing else here handles uncaught errors.
    if (process.listenerCount('uncaughtException') > 0) return;
    app.unmount();
    screen.leave();
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
  process.on('uncaughtExceptionMonitor', onUncaughtError);
  try {
    await app.waitUntilExit();
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onStopSignal);
    process.off('uncaughtExceptionMonitor', onUncaughtError);
    session.dispose();
    client.disconnect();
    screen.leave();
  }
}
