/**
 * The characters the terminal client draws with: Unicode arrows, dots and sparkline blocks in a
 * UTF-8 terminal, plain ASCII otherwise. The locale decides (as tmux, less and ls do), `--ascii`
 * and `--no-ascii` override it. In ASCII mode text from the hub (topic names, alert messages,
 * close reasons) is transliterated too, so nothing on screen prints as `?` or mojibake.
 */
import type { ClientState } from '../client/types.ts';

export interface Glyphs {
  ascii: boolean;
  /** Change arrows: rising, falling, unchanged. */
  up: string;
  down: string;
  flat: string;
  /** Rank move badges, e.g. `↑2` / `^2`. */
  rankUp: string;
  rankDown: string;
  /** The dot before the connection state. */
  stateDot: Readonly<Record<ClientState, string>>;
  /** Between items on a line (`ws://… · 3 online`). */
  separator: string;
  /** Sparkline levels, lowest first. */
  blocks: readonly string[];
  /** Any text for the screen, in this character set. */
  text: (text: string) => string;
}

export const UNICODE_GLYPHS: Glyphs = {
  ascii: false,
  up: '▲',
  down: '▼',
  flat: '•',
  rankUp: '↑',
  rankDown: '↓',
  stateDot: { connected: '●', connecting: '◌', reconnecting: '◌', disconnected: '○' },
  separator: '·',
  blocks: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
  text: (text) => text,
};

/** Common non-ASCII characters and what to draw instead; anything else loses its accents or becomes `?`. */
const ASCII_REPLACEMENTS: Readonly<Record<string, string>> = {
  '…': '...',
  '·': '|',
  '•': '*',
  '→': '->',
  '←': '<-',
  '↑': '^',
  '↓': 'v',
  '▲': '^',
  '▼': 'v',
  '—': '-',
  '–': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '×': 'x',
  '\u00a0': ' ',
};

const NON_ASCII = /[\u{80}-\u{10ffff}]/gu;
const COMBINING_MARKS = /\p{M}/gu;

/** `Café → 2,518…` as `Cafe -> 2,518...`: replacements first, then accents dropped, the rest `?`. */
export function asciiText(text: string): string {
  return text
    .replace(NON_ASCII, (char) => ASCII_REPLACEMENTS[char] ?? char)
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(NON_ASCII, '?');
}

export const ASCII_GLYPHS: Glyphs = {
  ascii: true,
  up: '^',
  down: 'v',
  flat: '=',
  rankUp: '^',
  rankDown: 'v',
  stateDot: { connected: '*', connecting: 'o', reconnecting: 'o', disconnected: 'x' },
  separator: '|',
  blocks: ['_', '.', '-', ':', '=', '+', '*', '#'],
  text: asciiText,
};

/**
 * Whether the locale's character set is UTF-8: the first of LC_ALL, LC_CTYPE and LANG that is set
 * decides (POSIX precedence), e.g. `en_US.UTF-8` or `C.utf8`; none set means the C locale, ASCII.
 */
export function localeIsUtf8(env: Readonly<Record<string, string | undefined>>): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== '');
  return locale !== undefined && /utf-?8/i.test(locale);
}

export interface AsciiDecisionInput {
  /** true with `--ascii`, false with `--no-ascii`, undefined to follow the locale. */
  asciiFlag: boolean | undefined;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
}

export function shouldUseAscii({ asciiFlag, env, platform }: AsciiDecisionInput): boolean {
  if (asciiFlag !== undefined) return asciiFlag;
  // Windows consoles take Unicode whatever the (usually unset) POSIX locale variables say.
  if (platform === 'win32') return false;
  return !localeIsUtf8(env);
}

export function glyphsFor(ascii: boolean): Glyphs {
  return ascii ? ASCII_GLYPHS : UNICODE_GLYPHS;
}
