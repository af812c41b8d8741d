/**
 * A real terminal for the terminal client's tests: a tmux server of the test's own (its own
 * socket, so a user's tmux is never touched) running bash in one window of a given size. Tests
 * type into it as a user would and read the screen back with `capture-pane`, with or without the
 * colour codes, and ask tmux whether the alternate screen is on.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { CLI_ARGS } from '../helpers/cli-from-sources.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function tmuxAvailable(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** `trendstream …args` from the sources, as a shell command line. */
export function trendstreamCommand(args: readonly string[]): string {
  return [process.execPath, ...CLI_ARGS, ...args].map(shellQuote).join(' ');
}

export interface TmuxOptions {
  columns: number;
  rows: number;
  /** Locale and other variables of the shell; CI markers are always removed (Ink draws nothing in CI mode). */
  env?: Record<string, string>;
}

let sessions = 0;

export class TmuxTerminal {
  readonly #socket: string;
  #socketPath = '';

  private constructor(socket: string) {
    this.#socket = socket;
  }

  /** A new tmux server with one bash in a `columns` x `rows` window, in the repository root. */
  static start(options: TmuxOptions): TmuxTerminal {
    sessions += 1;
    const terminal = new TmuxTerminal(`trendstream-test-${process.pid}-${sessions}`);
    const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8', ...options.env };
    for (const name of [
      'CI',
      'CONTINUOUS_INTEGRATION',
      'TMUX',
      'NO_COLOR',
      'FORCE_COLOR',
      'LC_ALL',
      'LC_CTYPE',
    ])
      if (options.env?.[name] === undefined) delete env[name];
    execFileSync(
      'tmux',
      [
        '-L',
        terminal.#socket,
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-s',
        'main',
        '-x',
        String(options.columns),
        '-y',
        String(options.rows),
        '-c',
        REPO_ROOT,
        'bash --norc --noprofile',
      ],
      { env },
    );
    terminal.#socketPath = terminal.#tmux('display-message', '-p', '#{socket_path}').trim();
    terminal.run("PS1='$ '");
    return terminal;
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.#socket, ...args], { encoding: 'utf8' });
  }

  /** Types `text` and presses Enter. */
  run(command: string): void {
    this.#tmux('send-keys', '-t', 'main', '-l', command);
    this.#tmux('send-keys', '-t', 'main', 'Enter');
  }

  /** Presses keys by tmux name: `q`, `C-c`, `Enter`. */
  press(...keys: string[]): void {
    this.#tmux('send-keys', '-t', 'main', ...keys);
  }

  /** The visible screen, one string per row (trailing spaces trimmed by tmux). */
  lines(): string[] {
    return this.#tmux('capture-pane', '-p', '-t', 'main').replace(/\n$/, '').split('\n');
  }

  screen(): string {
    return this.lines().join('\n');
  }

  /** The visible screen with its colour and attribute codes (SGR), one string per row. */
  styledLines(): string[] {
    return this.#tmux('capture-pane', '-p', '-e', '-t', 'main').replace(/\n$/, '').split('\n');
  }

  /** Whether the program in the pane switched to the alternate screen. */
  alternateScreen(): boolean {
    return this.#tmux('display-message', '-p', '-t', 'main', '#{alternate_on}').trim() === '1';
  }

  /** Waits until the screen satisfies `check`; fails with the screen as it was. */
  waitForScreen(check: (screen: string) => boolean, timeout = 20_000): Promise<string> {
    return vi.waitFor(
      () => {
        const screen = this.screen();
        if (!check(screen)) throw new Error(`screen did not match yet:\n${screen}`);
        return screen;
      },
      { timeout, interval: 50 },
    );
  }

  waitForAlternateScreen(on: boolean, timeout = 10_000): Promise<void> {
    return vi.waitFor(
      () => {
        if (this.alternateScreen() !== on) throw new Error(`alternate screen is not ${on ? 'on' : 'off'}`);
      },
      { timeout, interval: 50 },
    );
  }

  /**
   * Waits for the shell prompt on the last line written: the program in the foreground has
   * exited (until then, keys typed go to it, not to the shell). Returns the screen.
   */
  waitForPrompt(timeout = 10_000): Promise<string> {
    return this.waitForScreen((screen) => screen.trimEnd().split('\n').at(-1)?.trimEnd() === '$', timeout);
  }

  /** Stops this tmux server (and the shell and programs in it) and removes its socket. */
  kill(): void {
    spawnSync('tmux', ['-L', this.#socket, 'kill-server'], { stdio: 'ignore' });
    // tmux can leave its socket file behind.
    if (this.#socketPath !== '') rmSync(this.#socketPath, { force: true });
  }
}
