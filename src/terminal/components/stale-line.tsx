/**
 * Says the table is not live: `stale since 12:03:04 · showing tick 41 until reconnected`, from
 * the moment the connection drops until it is back. Always one line tall (blank while live), so
 * the table below never moves.
 */
import { Text } from 'ink';
import type { ClientState } from '../../client/types.ts';
import { staleText } from '../format.ts';
import { useTheme } from './theme-context.ts';

export interface StaleLineProps {
  /** When the data stopped being live; undefined while live. */
  staleSince: number | undefined;
  tick: number;
  state: ClientState;
  /** Whether any data is on screen to be stale. */
  showingData: boolean;
}

export function StaleLine({ staleSince, tick, state, showingData }: StaleLineProps) {
  const theme = useTheme();
  if (staleSince === undefined || !showingData) return <Text> </Text>;
  return (
    <Text bold color={theme.warn} wrap="truncate-end">
      {theme.glyphs.text(staleText(staleSince, tick, state, theme.glyphs))}
    </Text>
  );
}
