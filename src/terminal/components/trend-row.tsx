/**
 * One topic: rank, how far it moved, hashtag, category, score, arrow and change since the last
 * tick, sparkline of its history and a HOT tag. While the tick animation runs the score counts
 * up or down to its new value (the list is ordered by that shown score, see trend-rows.ts) and a
 * moved topic's badge is highlighted. Stale rows (connection lost) are drawn grey and dim.
 */
import { Box, Text } from 'ink';
import { CATEGORY_LABELS } from '../category-keys.ts';
import { changeColor } from '../color-mode.ts';
import { arrowOf, formatChange, formatRankMove, formatScore } from '../format.ts';
import { MOVE_WIDTH, RANK_WIDTH, type ColumnLayout } from '../layout.ts';
import { sparkline } from '../sparkline.ts';
import type { TrendRow as TrendRowData } from '../trend-rows.ts';
import { useTheme } from './theme-context.ts';

export interface TrendRowProps {
  row: TrendRowData;
  layout: ColumnLayout;
  /** Tick animation progress, 0 to 1 (1 when still). */
  progress: number;
  /** The data is not live (connection lost): no colours, dimmed. */
  stale?: boolean;
}

export function TrendRow({ row, layout, progress, stale = false }: TrendRowProps) {
  const theme = useTheme();
  const { glyphs } = theme;
  const { topic } = row;
  const animating = progress < 1 && !stale;
  const dim = stale && theme.colors;
  const muted = theme.muted;
  const color = stale ? muted : changeColor(theme, topic.change, topic.hot);
  const hotColor = stale ? muted : theme.hot;
  const move = formatRankMove(row.previousRank, row.rank, glyphs);
  const moveColor = stale ? muted : row.previousRank > row.rank ? theme.rising : theme.falling;
  return (
    <Box>
      <Box width={RANK_WIDTH} justifyContent="flex-end">
        <Text color={muted} dimColor={dim}>
          {row.rank}.
        </Text>
      </Box>
      <Box width={MOVE_WIDTH} paddingLeft={1} paddingRight={1}>
        <Text color={moveColor} dimColor={dim} inverse={animating && move !== ''} bold={animating}>
          {move}
        </Text>
      </Box>
      <Box width={layout.name} paddingRight={1}>
        <Text
          bold={topic.hot && !stale}
          color={topic.hot ? hotColor : stale ? muted : undefined}
          dimColor={dim}
          wrap="truncate-end"
        >
          {glyphs.text(topic.name)}
        </Text>
      </Box>
      {layout.category > 0 && (
        <Box width={layout.category}>
          <Text color={muted} dimColor={dim} wrap="truncate-end">
            {CATEGORY_LABELS[topic.category]}
          </Text>
        </Box>
      )}
      <Box width={layout.score} justifyContent="flex-end">
        <Text bold={animating} color={stale ? muted : undefined} dimColor={dim}>
          {formatScore(row.shownScore)}
        </Text>
      </Box>
      <Box width={layout.change} justifyContent="flex-end">
        <Text color={color} dimColor={dim}>
          {arrowOf(topic.change, glyphs)} {formatChange(topic.change)}
        </Text>
      </Box>
      {layout.sparkline > 0 && (
        <Box width={layout.sparkline + 2} paddingLeft={2}>
          <Text color={color} dimColor={dim}>
            {sparkline(topic.history, layout.sparkline, glyphs.blocks)}
          </Text>
        </Box>
      )}
      {topic.hot && (
        <Text bold={!stale} color={hotColor} dimColor={dim}>
          {' HOT'}
        </Text>
      )}
    </Box>
  );
}
