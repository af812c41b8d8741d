/**
 * `trendstream watch` as a user runs it: the real command (from the sources) in bash inside
 * tmux at a real size, against a real hub with the trends feed on; the screen is read back as
 * the user sees it. Covers what only a terminal shows: the alternate screen (entered at the top,
 * left on Q, Ctrl-C and SIGTERM with the shell's screen intact), a layout that does not move,
 * the stale table in grey during an outage (the hub stopped for real), the queued subscribe and
 * its confirmation, the close reason in the header, and plain ASCII under LC_ALL=C or --ascii.
 * Needs tmux; skipped with a note when it is not installed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NO_FEEDS } from '../../src/feeds/feed-switches.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { TmuxTerminal, tmuxAvailable, trendstreamCommand } from './tmux-terminal.ts';
import { trendLines } from './render-watch-app.tsx';

const HAS_TMUX = tmuxAvailable();
if (!HAS_TMUX)
  console.warn('watch-terminal.test.ts: tmux is not installed, the real-terminal tests are skipped');

const SERVER_OPTIONS = { feeds: { ...NO_FEEDS, trends: true }, trendIntervalMs: 300 };
const PRINTABLE_ASCII = /^[\x20-\x7e\n]*$/;
/** SGR 2: dim (faint). */
const DIM = '\u001b[2m';
/** SGR foreground red, green, yellow and magenta, normal and bright: what rising, falling and hot rows wear. */
const BRIGHT_COLOURS = [31, 32, 33, 35, 91, 92, 93, 95];

// Each test starts the CLI from its sources a few times (a second or more each on a busy machine).
const TEST_TIMEOUT_MS = 120_000;

describe.skipIf(!HAS_TMUX)(
  'trendstream watch in a real terminal (tmux)',
  { timeout: TEST_TIMEOUT_MS },
  () => {
    let server: RunningServer;
    let terminal: TmuxTerminal | undefined;
    let scratch: string;

    beforeAll(async () => {
      server = await startTestServer(SERVER_OPTIONS);
      scratch = mkdtempSync(join(tmpdir(), 'trendstream-watch-'));
    });
    afterEach(() => {
      terminal?.kill();
      terminal = undefined;
    });
    afterAll(async () => {
      await server.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    function watch(args: string[] = []): string {
      return trendstreamCommand(['watch', server.wsUrl, ...args]);
    }

    it('draws from the top of the alternate screen, keeps its layout, and gives the shell screen back on Q, Ctrl-C and SIGTERM', async () => {
      const tty = TmuxTerminal.start({ columns: 110, rows: 30 });
      terminal = tty;
      // Output in the terminal first, as in the report: the screen used to start at this cursor row.
      tty.run(`clear; seq 1 12; ${watch(['-c', 'tech'])}`);
      await tty.waitForScreen(
        (screen) => screen.startsWith('TRENDSTREAM ● connected') && trendLines(screen).length === 6,
      );
      expect(tty.alternateScreen()).toBe(true);
      let lines = tty.lines();
      expect(lines[1]).toBe(
        '[M]usic [G]ames [F]ashion [C]elebs [T]ech M[E]mes [S]ports Mo[V]ies [A]ll [Q]uit',
      );
      expect(lines[2]).toMatch(/^Now watching Tech {2}· Subscribed to Tech! Watching trends…/);
      expect(lines[5]).toMatch(/^ {9}TOPIC {2,}CATEGORY {2,}SCORE {2,}CHANGE {2}HISTORY$/);
      expect(lines.join('\n')).not.toMatch(/^\d+$/m);

      // The list grows to fill the screen: nothing above it moves, the last row stays free.
      tty.press('a');
      const full = await tty.waitForScreen((screen) => /\+\d+ more/.test(screen));
      lines = full.split('\n');
      expect(lines).toHaveLength(30);
      expect(lines[0]).toMatch(/^TRENDSTREAM ● connected/);
      expect(lines[1]).toMatch(/^\[M\]usic/);
      expect(lines[5]).toMatch(/^ {9}TOPIC/);
      expect(trendLines(full)).toHaveLength(22);
      expect(lines[28]).toMatch(/^ {9}\+\d+ more/);
      expect(lines[29]).toBe('');
      // Moves of any size stay in their column: every topic name starts in the same column.
      expect(new Set(trendLines(full).map((row) => row.indexOf('#'))).size).toBe(1);

      tty.press('q');
      await tty.waitForAlternateScreen(false);
      const shell = await tty.waitForPrompt();
      expect(shell).toMatch(/^1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n\$ ?$/m);
      expect(shell).not.toContain('TRENDSTREAM');

      // Ctrl-C.
      tty.run(`clear; ${watch(['-c', 'games'])}`);
      await tty.waitForScreen((screen) => trendLines(screen).length === 6);
      tty.press('C-c');
      await tty.waitForAlternateScreen(false);
      expect(await tty.waitForPrompt()).not.toContain('TRENDSTREAM');

      // SIGTERM from elsewhere (the pid file gives the watch process itself: exec keeps the pid).
      const pidFile = join(scratch, 'watch.pid');
      tty.run(`clear; sh -c 'echo $$ > ${pidFile}; exec "$@"' sh ${watch(['-c', 'music'])}`);
      await tty.waitForScreen((screen) => trendLines(screen).length === 6);
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      await tty.waitForAlternateScreen(false);
      expect(await tty.waitForPrompt()).not.toContain('TRENDSTREAM');
    });

    it('during an outage: says why, greys the table out as stale, queues a subscribe and confirms it once back', async () => {
      const tty = TmuxTerminal.start({ columns: 110, rows: 30 });
      terminal = tty;
      tty.run(`clear; ${watch(['-c', 'tech'])}`);
      await tty.waitForScreen(
        (screen) => screen.startsWith('TRENDSTREAM ● connected') && trendLines(screen).length === 6,
      );
      const rowIndexes = tty
        .lines()
        .map((line, index) => (/^\s+\d+\.\s/.test(line) ? index : -1))
        .filter((index) => index >= 0);
      const styledRows = (): string[] => {
        const styled = tty.styledLines();
        return rowIndexes.map((index) => styled[index]);
      };
      expect(styledRows().some((row) => row.includes(DIM))).toBe(false);

      // The hub stops (gracefully: 1012 to every client) and stays down.
      await server.close();
      let screen = await tty.waitForScreen((s) => /^stale since/m.test(s));
      let lines = screen.split('\n');
      expect(lines[0]).toMatch(/^TRENDSTREAM ◌ (reconnecting|connecting).* · hub restarting \(1012\)/);
      expect(lines[4]).toMatch(
        /^stale since \d\d:\d\d:\d\d · showing (tick \d+|the last data) until reconnected$/,
      );
      // The old rows stay where they were, every cell dim grey: no green, red or magenta.
      expect(trendLines(screen)).toHaveLength(6);
      for (const row of styledRows()) {
        expect(row).toContain(DIM);
        for (const code of BRIGHT_COLOURS) expect(row).not.toContain(`\u001b[${code}m`);
      }
      // Failed retries (1006) do not replace the reason.
      screen = await tty.waitForScreen((s) => /\(attempt [2-9]\d*\)/.test(s));
      expect(screen.split('\n')[0]).toContain('hub restarting (1012)');

      tty.press('m');
      screen = await tty.waitForScreen((s) => s.includes('Now watching Tech, Music'));
      expect(screen).toContain('Music: queued, subscribes when connected');
      expect(screen).not.toContain('Subscribed to Music');

      server = await startTestServer({ ...SERVER_OPTIONS, port: server.port });
      // Within the SDK's backoff cap of the hub being back.
      screen = await tty.waitForScreen(
        (s) => s.startsWith('TRENDSTREAM ● connected') && s.includes('Subscribed to Music! Watching trends…'),
        30_000,
      );
      lines = screen.split('\n');
      expect(lines[4]).toBe('');
      expect(screen).not.toContain('1012');
      await tty.waitForScreen((s) => trendLines(s).length === 12);
      await vi.waitFor(() => {
        const styled = tty.styledLines().filter((line) => /^\s+\d+\.\s/.test(stripVTControlCharacters(line)));
        expect(styled).toHaveLength(12);
        expect(styled.some((row) => row.includes(DIM))).toBe(false);
      });
      tty.press('q');
      await tty.waitForAlternateScreen(false);
      await tty.waitForPrompt();
    });

    it('draws plain ASCII under LC_ALL=C and with --ascii; fits 80x24', async () => {
      const tty = TmuxTerminal.start({ columns: 80, rows: 24, env: { LC_ALL: 'C' } });
      terminal = tty;
      tty.run(`clear; ${watch()}`);
      await tty.waitForScreen((screen) => screen.startsWith('TRENDSTREAM * connected'));
      tty.press('a');
      let screen = await tty.waitForScreen((s) => /\+\d+ more/.test(s));
      expect(screen).toMatch(PRINTABLE_ASCII);
      let lines = screen.split('\n');
      expect(lines).toHaveLength(24);
      expect(lines[0]).toMatch(/^TRENDSTREAM \* connected {2}ws:\/\/127\.0\.0\.1:\d+\/ws \| 1 online/);
      expect(lines[2]).toMatch(/^Now watching all categories {2}\| Subscribed to all categories/);
      const rows = trendLines(screen);
      expect(rows).toHaveLength(15);
      for (const row of rows) expect(row).toMatch(/\s[\d,]+\s+[\^v=] [+-]?[\d,]+ {2}[_.\-:=+*#]+( +HOT)?$/);
      expect(lines[23]).toBe('');
      tty.press('q');
      await tty.waitForAlternateScreen(false);
      await tty.waitForPrompt();

      // --no-ascii forces Unicode whatever the locale; --ascii forces ASCII in a UTF-8 one.
      tty.run(`clear; ${watch(['--no-ascii', '-c', 'tech'])}`);
      screen = await tty.waitForScreen((s) => trendLines(s).length === 6);
      expect(screen).toMatch(/^TRENDSTREAM ● connected/);
      tty.press('q');
      await tty.waitForAlternateScreen(false);
      await tty.waitForPrompt();
      tty.run(`clear; LC_ALL=C.UTF-8 ${watch(['--ascii', '-c', 'tech'])}`);
      screen = await tty.waitForScreen((s) => trendLines(s).length === 6);
      expect(screen).toMatch(PRINTABLE_ASCII);
      lines = screen.split('\n');
      expect(lines[0]).toMatch(/^TRENDSTREAM \* connected/);
      tty.press('q');
      await tty.waitForAlternateScreen(false);
      await tty.waitForPrompt();
    });
  },
);
