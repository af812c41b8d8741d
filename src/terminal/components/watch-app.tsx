/**
 * The `trendstream watch` screen: status, key legend, what is watched, the hot-trend alert and
 * the trend list. Reads the watch store, turns key presses into session calls and quits on Q
 * (Ctrl-C is Ink's own exit). Ink redraws it in place; it never grows taller than the terminal.
 */
import { useSyncExternalStore } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import { commandForKey, legendEntryWidths } from '../category-keys.ts';
import { columnLayout, topN, wrappedLineCount } from '../layout.ts';
import { visibleRows } from '../trend-rows.ts';
import type { WatchSession } from '../watch-session.ts';
import type { WatchStore } from '../watch-store.ts';
import { AlertLine } from './alert-line.tsx';
import { KeyLegend } from './key-legend.tsx';
import { StatusLine } from './status-line.tsx';
import { TrendList } from './trend-list.tsx';
import { useAnimationClock } from './use-animation-clock.ts';
import { useTerminalSize } from './use-terminal-size.ts';
import { WatchingLine } from './watching-line.tsx';

export interface WatchAppProps {
  url: string;
  store: WatchStore;
  session: WatchSession;
  /** Animate score changes (off in tests that compare exact frames). */
  animate?: boolean;
  /** Most rows to show, below what fits the terminal. */
  maxRows?: number;
  /** Called when the user quits with Q, before the app unmounts. */
  onQuit?: () => void;
}

export function WatchApp({ url, store, session, animate = true, maxRows, onQuit }: WatchAppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { exit } = useApp();
  const size = useTerminalSize();
  const lastUpdate = Math.max(0, ...Object.values(state.updatedAt));
  const now = useAnimationClock(lastUpdate, animate);

  useInput(function onKey(input) {
    const command = commandForKey(input);
    if (command === undefined) return;
    if (command.kind === 'toggle') session.toggle(command.category);
    else if (command.kind === 'all') session.watchAll();
    else {
      onQuit?.();
      exit();
    }
  });

  const legendLines = wrappedLineCount(legendEntryWidths(), size.columns);
  const visible = visibleRows(state.topics, state.watched, topN(size.rows, maxRows, legendLines));
  return (
    <Box flexDirection="column">
      <StatusLine
        url={url}
        status={state.status}
        statusAt={state.statusAt}
        clientCount={state.clientCount}
        tick={state.tick}
      />
      <KeyLegend watched={state.watched} />
      <WatchingLine watched={state.watched} notice={state.notice} />
      <AlertLine alert={state.alert} />
      <Text> </Text>
      <TrendList
        visible={visible}
        layout={columnLayout(size.columns)}
        now={now}
        updatedAt={state.updatedAt}
        watching={state.watched.length > 0}
      />
    </Box>
  );
}
