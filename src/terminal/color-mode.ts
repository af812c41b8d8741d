/**
 * Whether to colour the screen, and the palette when we do. Colour is off with `--no-color`,
 * with a non-empty NO_COLOR (https://no-color.org), or when stdout is not a terminal.
 * Without colour, meaning still shows through arrows, signs and the HOT tag.
 * The theme also carries the character set (glyphs.ts): Unicode, or ASCII outside UTF-8 locales.
 */
import { UNICODE_GLYPHS, type Glyphs } from './glyphs.ts';

export interface ColorDecisionInput {
  /** `false` when `--no-color` was given. */
  colorFlag: boolean;
  env: Readonly<Record<string, string | undefined>>;
  isTTY: boolean;
}

export function shouldUseColor({ colorFlag, env, isTTY }: ColorDecisionInput): boolean {
  if (!colorFlag) return false;
  const noColor = env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return isTTY;
}

/** Ink colour names per role; undefined draws in the terminal's default colour. */
export interface Theme {
  colors: boolean;
  rising: string | undefined;
  falling: string | undefined;
  hot: string | undefined;
  accent: string | undefined;
  ok: string | undefined;
  warn: string | undefined;
  error: string | undefined;
  muted: string | undefined;
  glyphs: Glyphs;
}

export function makeTheme(colors: boolean, glyphs: Glyphs = UNICODE_GLYPHS): Theme {
  if (!colors) {
    return {
      colors,
      glyphs,
      rising: undefined,
      falling: undefined,
      hot: undefined,
      accent: undefined,
      ok: undefined,
      warn: undefined,
      error: undefined,
      muted: undefined,
    };
  }
  return {
    colors,
    glyphs,
    rising: 'green',
    falling: 'red',
    hot: 'magenta',
    accent: 'cyan',
    ok: 'green',
    warn: 'yellow',
    error: 'red',
    muted: 'gray',
  };
}

/** The colour of a score change: rising green, falling red, hot magenta above both. */
export function changeColor(theme: Theme, change: number, hot: boolean): string | undefined {
  if (hot) return theme.hot;
  if (Math.round(change) > 0) return theme.rising;
  if (Math.round(change) < 0) return theme.falling;
  return theme.muted;
}
