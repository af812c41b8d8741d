/**
 * The trend table: a column header, the top-N rows of the watched categories and a
 * "+N more" line when the terminal is too short for all of them; or a hint while empty.
 */
import { Box, Text } from 'ink';
import type { TrendCategory } from '../../protocol/payloads.ts';
import { animationProgress } from '../animation.ts';
import { MOVE_WIDTH, RANK_WIDTH, type ColumnLayout } from '../layout.ts';
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
  /** The connection is up: the rows are live and an empty list waits for a tick, not for the hub. */
  live: boolean;
}

const LEFT_COLUMNS = ' '.repeat(RANK_WIDTH + MOVE_WIDTH);

function ColumnHeader({ layout }: { layout: ColumnLayout }) {
  const theme = useTheme();
  return (
    <Box>
      <Box width={RANK_WIDTH + MOVE_WIDTH} />
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

export function TrendList({ visible, layout, now, updatedAt, watching, live }: TrendListProps) {
  const theme = useTheme();
  if (!watching) return null;
  if (visible.total === 0) {
    const hint = live ? 'Waiting for the next trends tick…' : 'No trends yet: waiting for the connection…';
    return <Text color={theme.muted}>{theme.glyphs.text(hint)}</Text>;
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
          stale={!live}
        />
      ))}
      {hidden > 0 && (
        <Text color={theme.muted}>
          {LEFT_COLUMNS}+{hidden} more (a taller terminal shows more)
        </Text>
      )}
    </Box>
  );
}
