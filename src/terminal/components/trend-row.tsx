/**
 * One topic: rank, how far it moved, hashtag, category, score, arrow and change since the last
 * tick, sparkline of its history and a HOT tag. While the tick animation runs the score counts
 * up or down to its new value and a moved topic's badge is highlighted.
 */
import { Box, Text } from 'ink';
import { CATEGORY_LABELS } from '../category-keys.ts';
import { tween } from '../animation.ts';
import { changeColor } from '../color-mode.ts';
import { arrowOf, formatChange, formatRankMove, formatScore } from '../format.ts';
import type { ColumnLayout } from '../layout.ts';
import { sparkline } from '../sparkline.ts';
import type { TrendRow as TrendRowData } from '../trend-rows.ts';
import { useTheme } from './theme-context.ts';

export interface TrendRowProps {
  row: TrendRowData;
  layout: ColumnLayout;
  /** Tick animation progress, 0 to 1 (1 when still). */
  progress: number;
}

export function TrendRow({ row, layout, progress }: TrendRowProps) {
  const theme = useTheme();
  const { topic } = row;
  const animating = progress < 1;
  const color = changeColor(theme, topic.change, topic.hot);
  const shownScore = tween(topic.score - topic.change, topic.score, progress);
  const move = formatRankMove(row.previousRank, row.rank);
  const moveColor = row.previousRank > row.rank ? theme.rising : theme.falling;
  return (
    <Box>
      <Box width={4} justifyContent="flex-end">
        <Text color={theme.muted}>{row.rank}.</Text>
      </Box>
      <Box width={4} paddingLeft={1}>
        <Text color={moveColor} inverse={animating && move !== ''} bold={animating}>
          {move}
        </Text>
      </Box>
      <Box width={layout.name} paddingRight={1}>
        <Text bold={topic.hot} color={topic.hot ? theme.hot : undefined} wrap="truncate-end">
          {topic.name}
        </Text>
      </Box>
      {layout.category > 0 && (
        <Box width={layout.category}>
          <Text color={theme.muted} wrap="truncate-end">
            {CATEGORY_LABELS[topic.category]}
          </Text>
        </Box>
      )}
      <Box width={layout.score} justifyContent="flex-end">
        <Text bold={animating}>{formatScore(shownScore)}</Text>
      </Box>
      <Box width={layout.change} justifyContent="flex-end">
        <Text color={color}>
          {arrowOf(topic.change)} {formatChange(topic.change)}
        </Text>
      </Box>
      {layout.sparkline > 0 && (
        <Box width={layout.sparkline + 2} paddingLeft={2}>
          <Text color={color}>{sparkline(topic.history, layout.sparkline)}</Text>
        </Box>
      )}
      {topic.hot && (
        <Text bold color={theme.hot}>
          {' HOT'}
        </Text>
      )}
    </Box>
  );
}
