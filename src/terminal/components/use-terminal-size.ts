/**
 * The terminal's rows and columns, updated on resize, so top-N and column widths follow the window.
 * Test streams without a size fall back to the layout defaults.
 */
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  rows: number | undefined;
  columns: number | undefined;
}

function sizeOf(stream: NodeJS.WriteStream): TerminalSize {
  return { rows: stream.rows, columns: stream.columns };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => sizeOf(stdout));
  useEffect(
    function followResize() {
      function onResize(): void {
        setSize(sizeOf(stdout));
      }
      stdout.on('resize', onResize);
      return function stopFollowingResize() {
        stdout.off('resize', onResize);
      };
    },
    [stdout],
  );
  return size;
}
