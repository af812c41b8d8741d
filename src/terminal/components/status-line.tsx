/**
 * The top line: product name, connection state from the SDK's status events (with a live
 * reconnect countdown and attempt number), the hub URL, how many are online and the tick.
 */
import { Box, Text } from 'ink';
import type { StatusEvent } from '../../client/types.ts';
import { statusText } from '../format.ts';
import { useCountdown } from './use-countdown.ts';
import { useTheme } from './theme-context.ts';

export interface StatusLineProps {
  url: string;
  status: StatusEvent;
  statusAt: number;
  clientCount: number | undefined;
  tick: number;
}

const DOTS: Readonly<Record<StatusEvent['state'], string>> = {
  connected: '●',
  connecting: '◌',
  reconnecting: '◌',
  disconnected: '○',
};

export function StatusLine({ url, status, statusAt, clientCount, tick }: StatusLineProps) {
  const theme = useTheme();
  const reconnecting = status.state === 'reconnecting';
  const deadline = reconnecting && status.delayMs !== undefined ? statusAt + status.delayMs : undefined;
  const secondsLeft = useCountdown(deadline, reconnecting);
  const stateColor =
    status.state === 'connected' ? theme.ok : status.state === 'disconnected' ? theme.error : theme.warn;
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
        <Text color={stateColor}>
          {DOTS[status.state]} {statusText(status, secondsLeft)}
        </Text>
      </Box>
      <Text color={theme.muted} wrap="truncate-end">
        {' '}
        {details.join(' · ')}
      </Text>
    </Box>
  );
}
