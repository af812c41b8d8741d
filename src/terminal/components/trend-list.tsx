/**
 * The trend table: a column header, the top-N rows of the watched categories and a
 * "+N more" line when the terminal is too short for all of them; or a hint while empty.
 */
import { Box, Text } from 'ink';
import type { TrendCategory } from '../../protocol/payloads.ts';
import { animationProgress } from '../animation.ts';
import type { ColumnLayout } from '../layout.ts';
import type { VisibleRows } from '../trend-rows.ts';
import { TrendRow } from './trend-row.tsx';
import { useTheme } from './theme-context.ts';

export interface TrendListProps {
  visible: VisibleRows;
  layout: ColumnLayout;
  /** The animation clock, and when each category last changed. */
  now: number;
  updatedAt: Partial<Record<TrendCategory, number>>;
  watching: boolean;
}

function ColumnHeader({ layout }: { layout: ColumnLayout }) {
  const theme = useTheme();
  return (
    <Box>
      <Box width={8} />
      <Box width={layout.name}>
        <Text color={theme.muted}>TOPIC</Text>
      </Box>
      {layout.category > 0 && (
        <Box width={layout.category}>
          <Text color={theme.muted}>CATEGORY</Text>
        </Box>
      )}
      <Box width={layout.score} justifyContent="flex-end">
        <Text color={theme.muted}>SCORE</Text>
      </Box>
      <Box width={layout.change} justifyContent="flex-end">
        <Text color={theme.muted}>CHANGE</Text>
      </Box>
      {layout.sparkline > 0 && (
        <Box paddingLeft={2}>
          <Text color={theme.muted}>HISTORY</Text>
        </Box>
      )}
    </Box>
  );
}

export function TrendList({ visible, layout, now, updatedAt, watching }: TrendListProps) {
  const theme = useTheme();
  if (!watching) return null;
  if (visible.total === 0) {
    return <Text color={theme.muted}>Waiting for the next trends tick…</Text>;
  }
  const hidden = visible.total - visible.rows.length;
  return (
    <Box flexDirection="column">
      <ColumnHeader layout={layout} />
      {visible.rows.map((row) => (
        <TrendRow
          key={row.topic.id}
          row={row}
          layout={layout}
          progress={animationProgress(updatedAt[row.topic.category] ?? 0, now)}
        />
      ))}
      {hidden > 0 && (
        <Text color={theme.muted}>
          {'        '}+{hidden} more (a taller terminal shows more)
        </Text>
      )}
    </Box>
  );
}
