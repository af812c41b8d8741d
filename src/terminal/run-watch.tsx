/**
 * Interactive `trendstream watch`: connects, renders the Ink app on the alternate screen and,
 * on Q, Ctrl-C, SIGTERM or SIGHUP, unsubscribes, closes the connection and restores the terminal.
 */
import { render } from 'ink';
import type { TrendCategory } from '../protocol/payloads.ts';
import { enterAlternateScreen } from './alternate-screen.ts';
import { makeTheme, shouldUseColor } from './color-mode.ts';
import { ThemeContext } from './components/theme-context.ts';
import { WatchApp } from './components/watch-app.tsx';
import { createNodeClient } from './node-client.ts';
import { createWatchSession } from './watch-session.ts';
import { initialWatchState } from './watch-state.ts';
import { createWatchStore } from './watch-store.ts';

export interface RunWatchOptions {
  url: string;
  categories: TrendCategory[];
  /** False with `--no-color`. */
  color: boolean;
  name?: string;
  token?: string;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGHUP'] as const;

export async function runWatch(options: RunWatchOptions): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new Error('watch needs an interactive terminal; for scripts use --once (with --json for JSON)');
  }
  const colors = shouldUseColor({
    colorFlag: options.color,
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  });
  const client = createNodeClient(options.url, { name: options.name, token: options.token });
  const store = createWatchStore(initialWatchState(options.categories));
  const session = createWatchSession(client, store);
  const screen = enterAlternateScreen(process.stdout);
  const app = render(
    <ThemeContext.Provider value={makeTheme(colors)}>
      <WatchApp url={options.url} store={store} session={session} />
    </ThemeContext.Provider>,
    { exitOnCtrlC: true },
  );
  function onStopSignal(): void {
    app.unmount();
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
  try {
    await app.waitUntilExit();
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onStopSignal);
    session.dispose();
    client.disconnect();
    screen.leave();
  }
}
