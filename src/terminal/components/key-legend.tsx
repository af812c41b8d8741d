/**
 * The key legend, `[M]usic [G]ames ... [A]ll [Q]uit`; watched categories stand out (bold and
 * coloured, or marked with `*` without colour) so the legend doubles as a toggle display.
 * Entries never break inside a word: a narrow terminal wraps the legend onto more lines.
 */
import { Box, Text } from 'ink';
import type { TrendCategory } from '../../protocol/payloads.ts';
import { legendEntries, type LegendEntry } from '../category-keys.ts';
import { useTheme } from './theme-context.ts';

export interface KeyLegendProps {
  watched: readonly TrendCategory[];
}

function LegendItem({ entry, active }: { entry: LegendEntry; active: boolean }) {
  const theme = useTheme();
  const mark = active && !theme.colors ? '*' : '';
  return (
    <Box flexShrink={0}>
      <Text bold={active} color={active ? theme.accent : undefined} dimColor={!active && theme.colors}>
        {entry.before}[{entry.key}]{entry.after}
        {mark}
      </Text>
    </Box>
  );
}

export function KeyLegend({ watched }: KeyLegendProps) {
  const entries = legendEntries();
  return (
    <Box columnGap={1} flexWrap="wrap">
      {entries.map((entry) => (
        <LegendItem
          key={entry.key}
          entry={entry}
          active={entry.category !== undefined && watched.includes(entry.category)}
        />
      ))}
    </Box>
  );
}
