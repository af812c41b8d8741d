/**
 * Renders the real WatchApp with ink-testing-library against a real hub: a real SDK client
 * (recording its wire frames), the real session and store. `close()` tears it all down.
 * `renderWatchScreen` renders it from a store the test fills itself (no hub), for exact states.
 */
import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import { createClient } from '../../src/client/node.ts';
import type { TrendStreamClient } from '../../src/client/types.ts';
import type { TrendCategory } from '../../src/protocol/payloads.ts';
import { makeTheme } from '../../src/terminal/color-mode.ts';
import { UNICODE_GLYPHS, type Glyphs } from '../../src/terminal/glyphs.ts';
import { ThemeContext } from '../../src/terminal/components/theme-context.ts';
import { WatchApp } from '../../src/terminal/components/watch-app.tsx';
import { createWatchSession, type WatchSession } from '../../src/terminal/watch-session.ts';
import { initialWatchState } from '../../src/terminal/watch-state.ts';
import { createWatchStore, type WatchStore } from '../../src/terminal/watch-store.ts';
import { recordingWebSocket, type WireLog } from './recording-web-socket.ts';

export interface RenderedWatchApp {
  client: TrendStreamClient;
  wire: WireLog;
  /** Times the app's quit handler ran. */
  quits: () => number;
  frame: () => string;
  press: (key: string) => void;
  /** Wait until the last frame satisfies `check` (retried until `timeout`). */
  waitForFrame: (check: (frame: string) => boolean, timeout?: number) => Promise<string>;
  close: () => void;
}

export function renderWatchApp(
  url: string,
  options: { categories?: TrendCategory[]; maxRows?: number } = {},
): RenderedWatchApp {
  const wire: WireLog = { sent: [], received: [] };
  const client = createClient(url, {
    WebSocket: recordingWebSocket(wire),
    baseDelayMs: 200,
    maxDelayMs: 2000,
  });
  const store = createWatchStore(initialWatchState(options.categories));
  const session = createWatchSession(client, store);
  let quitCount = 0;
  const app = render(
    <ThemeContext.Provider value={makeTheme(false)}>
      <WatchApp
        url={url}
        store={store}
        session={session}
        animate={false}
        maxRows={options.maxRows}
        onQuit={() => {
          quitCount += 1;
        }}
      />
    </ThemeContext.Provider>,
  );
  const frame = (): string => app.lastFrame() ?? '';
  return {
    client,
    wire,
    quits: () => quitCount,
    frame,
    press: (key) => app.stdin.write(key),
    waitForFrame: (check, timeout = 5000) =>
      vi.waitFor(
        () => {
          const current = frame();
          if (!check(current)) throw new Error(`frame did not match yet:\n${current}`);
          return current;
        },
        { timeout, interval: 20 },
      ),
    close: () => {
      app.unmount();
      session.dispose();
      client.disconnect();
    },
  };
}

export interface RenderedWatchScreen {
  frame: () => string;
  /** Every frame written so far, oldest first. */
  frames: () => string[];
  close: () => void;
}

/** The real WatchApp over `store`, with a session that does nothing: the test dispatches the state. */
export function renderWatchScreen(
  store: WatchStore,
  options: { animate?: boolean; glyphs?: Glyphs } = {},
): RenderedWatchScreen {
  const session: WatchSession = {
    toggle: () => {},
    watchAll: () => {},
    dispose: () => {},
  };
  const app = render(
    <ThemeContext.Provider value={makeTheme(false, options.glyphs ?? UNICODE_GLYPHS)}>
      <WatchApp url="ws://hub.test/ws" store={store} session={session} animate={options.animate ?? false} />
    </ThemeContext.Provider>,
  );
  return {
    frame: () => app.lastFrame() ?? '',
    frames: () => [...app.frames],
    close: () => app.unmount(),
  };
}

/** The trend rows of a frame: lines that start with a rank like ` 1.`. */
export function trendLines(frame: string): string[] {
  return frame.split('\n').filter((line) => /^\s*\d+\.\s/.test(line));
}

/** Scores of the trend rows, parsed back from their thousands-separated form. */
export function scoresOf(frame: string): number[] {
  return trendLines(frame).map((line) => {
    const match = /\s([\d,]+)\s+[▲▼•^v=]\s/.exec(line);
    if (!match) throw new Error(`no score in row: ${line}`);
    return Number(match[1].replaceAll(',', ''));
  });
}
