/**
 * Full-screen mode: draw on the terminal's alternate screen from its top-left corner, and give
 * the user's scrollback back untouched on exit, whichever way the process ends (Q, Ctrl-C,
 * SIGTERM, a crash: the `exit` listener is the last resort). Ink has no option for this, so these
 * are the standard xterm sequences: DECSET 1049 (save the cursor, switch screens), then cursor
 * home and clear, since 1049 keeps the cursor where the shell left it and Ink draws from there.
 */

export const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h\u001b[H\u001b[2J';
export const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';

export interface AlternateScreen {
  /** Back to the normal screen; safe to call more than once. */
  leave(): void;
}

export function enterAlternateScreen(stream: NodeJS.WriteStream): AlternateScreen {
  if (!stream.isTTY) return { leave: function noop() {} };
  let active = true;
  stream.write(ENTER_ALTERNATE_SCREEN);
  function leave(): void {
    if (!active) return;
    active = false;
    stream.write(LEAVE_ALTERNATE_SCREEN);
    process.off('exit', leave);
  }
  process.on('exit', leave);
  return { leave };
}
