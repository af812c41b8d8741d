import { describe, expect, it } from 'vitest';
import {
  enterAlternateScreen,
  ENTER_ALTERNATE_SCREEN,
  LEAVE_ALTERNATE_SCREEN,
} from '../../src/terminal/alternate-screen.ts';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = {
    isTTY,
    write: (chunk: string) => {
      written.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('alternate screen', () => {
  it('switches screens and homes the cursor, since DECSET 1049 leaves it on the shell row', () => {
    expect(ENTER_ALTERNATE_SCREEN).toBe('\u001b[?1049h\u001b[H\u001b[2J');
    expect(LEAVE_ALTERNATE_SCREEN).toBe('\u001b[?1049l');
  });

  it('leaves once, on leave() or at process exit, whichever comes first', () => {
    const { stream, written } = fakeStream(true);
    const exitListeners = process.listenerCount('exit');
    const screen = enterAlternateScreen(stream);
    expect(written).toEqual([ENTER_ALTERNATE_SCREEN]);
    expect(process.listenerCount('exit')).toBe(exitListeners + 1);
    screen.leave();
    screen.leave();
    expect(written).toEqual([ENTER_ALTERNATE_SCREEN, LEAVE_ALTERNATE_SCREEN]);
    expect(process.listenerCount('exit')).toBe(exitListeners);
  });

  it('writes nothing when stdout is not a terminal', () => {
    const { stream, written } = fakeStream(false);
    enterAlternateScreen(stream).leave();
    expect(written).toEqual([]);
  });
});
