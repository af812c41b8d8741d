/** "Now watching Music, Tech", followed by what the last key press did (or why it failed). */
import { Box, Text } from 'ink';
import type { TrendCategory } from '../../protocol/payloads.ts';
import { watchingText } from '../format.ts';
import type { Notice } from '../watch-state.ts';
import { useTheme } from './theme-context.ts';

export interface WatchingLineProps {
  watched: readonly TrendCategory[];
  notice: Notice | undefined;
}

export function WatchingLine({ watched, notice }: WatchingLineProps) {
  const theme = useTheme();
  const { glyphs } = theme;
  return (
    <Box>
      <Box flexShrink={0}>
        <Text bold={watched.length > 0}>{watchingText(watched)}</Text>
      </Box>
      {notice !== undefined && (
        <Text color={notice.level === 'error' ? theme.error : theme.muted} wrap="truncate-end">
          {`  ${glyphs.separator} `}
          {glyphs.text(notice.text)}
        </Text>
      )}
    </Box>
  );
}
