/**
 * Full-screen mode: draw on the terminal's alternate screen and give the user's scrollback back
 * untouched on exit, whichever way the process ends (Q, Ctrl-C, SIGTERM, a crash).
 * Ink has no option for this, so these are the two standard xterm sequences (DECSET 1049).
 */

const ENTER = '\u001b[?1049h';
const LEAVE = '\u001b[?1049l';

export interface AlternateScreen {
  /** Back to the normal screen; safe to call more than once. */
  leave(): void;
}

export function enterAlternateScreen(stream: NodeJS.WriteStream): AlternateScreen {
  if (!stream.isTTY) return { leave: function noop() {} };
  let active = true;
  stream.write(ENTER);
  function leave(): void {
    if (!active) return;
    active = false;
    stream.write(LEAVE);
    process.off('exit', leave);
  }
  process.on('exit', leave);
  return { leave };
}
