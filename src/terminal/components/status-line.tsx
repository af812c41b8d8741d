/**
 * The top line: product name, connection state from the SDK's status events (with a live
 * reconnect countdown, the attempt number and why the connection dropped, e.g. `hub restarting
 * (1012)`), the hub URL, how many are online and the tick.
 */
import { Box, Text } from 'ink';
import type { StatusEvent } from '../../client/types.ts';
import { closeCauseText, statusText, type CloseCause } from '../format.ts';
import { useCountdown } from './use-countdown.ts';
import { useTheme } from './theme-context.ts';

export interface StatusLineProps {
  url: string;
  status: StatusEvent;
  statusAt: number;
  clientCount: number | undefined;
  tick: number;
  /** Why the connection dropped, while it is down. */
  dropCause?: CloseCause;
}

export function StatusLine({ url, status, statusAt, clientCount, tick, dropCause }: StatusLineProps) {
  const theme = useTheme();
  const { glyphs } = theme;
  const reconnecting = status.state === 'reconnecting';
  const deadline = reconnecting && status.delayMs !== undefined ? statusAt + status.delayMs : undefined;
  const secondsLeft = useCountdown(deadline, reconnecting);
  const stateColor =
    status.state === 'connected' ? theme.ok : status.state === 'disconnected' ? theme.error : theme.warn;
  // A terminal close already says why in its state text (`disconnected: bad token`).
  const cause = status.state === 'disconnected' ? '' : closeCauseText(dropCause);
  const state = statusText(status, secondsLeft) + (cause === '' ? '' : ` ${glyphs.separator} ${cause}`);
  const details = [url];
  if (clientCount !== undefined && status.state === 'connected') details.push(`${clientCount} online`);
  if (tick > 0) details.push(`tick ${tick}`);
  return (
    <Box columnGap={1}>
      <Box flexShrink={0}>
        <Text bold color={theme.accent}>
          TRENDSTREAM
        </Text>
      </Box>
      <Box flexShrink={0}>
        <Text color={stateColor}>{glyphs.text(`${glyphs.stateDot[status.state]} ${state}`)}</Text>
      </Box>
      <Text color={theme.muted} wrap="truncate-end">
        {' '}
        {glyphs.text(details.join(` ${glyphs.separator} `))}
      </Text>
    </Box>
  );
}
