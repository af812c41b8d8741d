/**
 * The `trendstream watch` screen: status, key legend, what is watched, the hot-trend alert, the
 * stale line and the trend list. Reads the watch store, turns key presses into session calls and
 * quits on Q (Ctrl-C is Ink's own exit). It always takes the terminal's height less one line (see
 * layout.ts), so Ink redraws it in place and no line moves when the list grows.
 */
import { useSyncExternalStore } from 'react';
import { Box, useApp, useInput } from 'ink';
import type { TrendTopic } from '../../protocol/payloads.ts';
import { animationProgress, tween } from '../animation.ts';
import { commandForKey, legendEntryWidths } from '../category-keys.ts';
import { columnLayout, screenHeight, topN, wrappedLineCount } from '../layout.ts';
import { visibleRows } from '../trend-rows.ts';
import type { WatchSession } from '../watch-session.ts';
import type { WatchStore } from '../watch-store.ts';
import { AlertLine } from './alert-line.tsx';
import { KeyLegend } from './key-legend.tsx';
import { StaleLine } from './stale-line.tsx';
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
  const live = state.status.state === 'connected';

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

  // While a tick animates, rows are ordered by the score they show, not by the one they count to.
  function shownScore(topic: TrendTopic): number {
    if (!live) return topic.score;
    const progress = animationProgress(state.updatedAt[topic.category] ?? 0, now);
    return tween(topic.score - topic.change, topic.score, progress);
  }

  const legendLines = wrappedLineCount(legendEntryWidths(), size.columns);
  const limit = topN(size.rows, maxRows, legendLines);
  const visible = visibleRows(state.topics, state.watched, limit, shownScore);
  return (
    <Box flexDirection="column" height={screenHeight(size.rows)} overflow="hidden">
      <StatusLine
        url={url}
        status={state.status}
        statusAt={state.statusAt}
        clientCount={state.clientCount}
        tick={state.tick}
        dropCause={state.dropCause}
      />
      <KeyLegend watched={state.watched} />
      <WatchingLine watched={state.watched} notice={state.notice} />
      <AlertLine alert={state.alert} stale={!live} />
      <StaleLine
        staleSince={state.staleSince}
        tick={state.tick}
        state={state.status.state}
        showingData={visible.total > 0}
      />
      <TrendList
        visible={visible}
        layout={columnLayout(size.columns)}
        now={now}
        updatedAt={state.updatedAt}
        watching={state.watched.length > 0}
        live={live}
      />
    </Box>
  );
}
