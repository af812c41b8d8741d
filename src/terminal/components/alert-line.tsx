/**
 * The latest hot-trend alert from the `events` channel. Always one line tall (blank until the
 * first alert), so the list below never jumps when an alert arrives.
 */
import { Box, Text } from 'ink';
import { clockTime } from '../format.ts';
import type { HotAlert } from '../hot-alert.ts';
import { useTheme } from './theme-context.ts';

export interface AlertLineProps {
  alert: HotAlert | undefined;
  /** The connection is down: the alert is history, drawn without its colour. */
  stale?: boolean;
}

export function AlertLine({ alert, stale = false }: AlertLineProps) {
  const theme = useTheme();
  if (alert === undefined) return <Text> </Text>;
  const color = stale ? theme.muted : theme.hot;
  return (
    <Box columnGap={1}>
      <Box flexShrink={0}>
        <Text bold inverse color={color}>
          {' HOT '}
        </Text>
      </Box>
      <Box flexShrink={0}>
        <Text color={theme.muted}>{clockTime(alert.timestamp)}</Text>
      </Box>
      <Text color={color} wrap="truncate-end">
        {theme.glyphs.text(alert.message)}
      </Text>
    </Box>
  );
}
