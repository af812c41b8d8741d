import { describe, expect, it } from 'vitest';
import {
  ASCII_GLYPHS,
  asciiText,
  glyphsFor,
  localeIsUtf8,
  shouldUseAscii,
  UNICODE_GLYPHS,
} from '../../src/terminal/glyphs.ts';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

describe('character set', () => {
  it('reads UTF-8 from the first of LC_ALL, LC_CTYPE and LANG that is set', () => {
    expect(localeIsUtf8({ LANG: 'en_US.UTF-8' })).toBe(true);
    expect(localeIsUtf8({ LANG: 'C.utf8' })).toBe(true);
    expect(localeIsUtf8({ LC_CTYPE: 'de_DE.UTF-8', LANG: 'C' })).toBe(true);
    expect(localeIsUtf8({ LC_ALL: 'C', LANG: 'en_US.UTF-8' })).toBe(false);
    expect(localeIsUtf8({ LC_ALL: '', LANG: 'en_US.UTF-8' })).toBe(true);
    expect(localeIsUtf8({ LANG: 'C' })).toBe(false);
    expect(localeIsUtf8({ LANG: 'POSIX' })).toBe(false);
    expect(localeIsUtf8({ LANG: 'en_US.ISO-8859-1' })).toBe(false);
    expect(localeIsUtf8({})).toBe(false);
  });

  it('is ASCII outside UTF-8 locales, unless --ascii / --no-ascii says otherwise', () => {
    const utf8 = { LANG: 'en_US.UTF-8' };
    const c = { LC_ALL: 'C' };
    expect(shouldUseAscii({ asciiFlag: undefined, env: utf8, platform: 'linux' })).toBe(false);
    expect(shouldUseAscii({ asciiFlag: undefined, env: c, platform: 'linux' })).toBe(true);
    expect(shouldUseAscii({ asciiFlag: true, env: utf8, platform: 'linux' })).toBe(true);
    expect(shouldUseAscii({ asciiFlag: false, env: c, platform: 'darwin' })).toBe(false);
    expect(shouldUseAscii({ asciiFlag: undefined, env: {}, platform: 'win32' })).toBe(false);
    expect(glyphsFor(true)).toBe(ASCII_GLYPHS);
    expect(glyphsFor(false)).toBe(UNICODE_GLYPHS);
  });

  it('has only printable ASCII in the ASCII set, and one glyph per sparkline level in both', () => {
    const { text, ...rest } = ASCII_GLYPHS;
    expect(text('x')).toBe('x');
    const all = JSON.stringify(rest);
    expect(all).toMatch(PRINTABLE_ASCII);
    expect(ASCII_GLYPHS.blocks).toHaveLength(UNICODE_GLYPHS.blocks.length);
    expect(new Set(ASCII_GLYPHS.blocks).size).toBe(ASCII_GLYPHS.blocks.length);
  });

  it('transliterates text from the hub to ASCII', () => {
    expect(asciiText('#MovieNight is surging: 1,489 → 4,096 (+175%)')).toBe(
      '#MovieNight is surging: 1,489 -> 4,096 (+175%)',
    );
    expect(asciiText('Waiting for the next tick… · ok')).toBe('Waiting for the next tick... | ok');
    expect(asciiText('#CaféCrème — Beyoncé')).toBe('#CafeCreme - Beyonce');
    expect(asciiText('#東京 🔥')).toBe('#?? ?');
    expect(asciiText('plain')).toBe('plain');
    expect(asciiText('#東京 🔥 ▲↑…')).toMatch(PRINTABLE_ASCII);
  });
});
