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
}

export function AlertLine({ alert }: AlertLineProps) {
  const theme = useTheme();
  if (alert === undefined) return <Text> </Text>;
  return (
    <Box columnGap={1}>
      <Box flexShrink={0}>
        <Text bold inverse color={theme.hot}>
          {' HOT '}
        </Text>
      </Box>
      <Box flexShrink={0}>
        <Text color={theme.muted}>{clockTime(alert.timestamp)}</Text>
      </Box>
      <Text color={theme.hot} wrap="truncate-end">
        {alert.message}
      </Text>
    </Box>
  );
}
