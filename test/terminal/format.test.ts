import { describe, expect, it } from 'vitest';
import {
  arrowOf,
  clockTimeOf,
  closeCauseText,
  formatChange,
  formatRankMove,
  formatScore,
  staleText,
  statusText,
  watchingText,
} from '../../src/terminal/format.ts';
import { ASCII_GLYPHS } from '../../src/terminal/glyphs.ts';

describe('format', () => {
  it('writes scores with thousands separators, rounded', () => {
    expect(formatScore(0)).toBe('0');
    expect(formatScore(945)).toBe('945');
    expect(formatScore(2453.4)).toBe('2,453');
    expect(formatScore(1234567.6)).toBe('1,234,568');
  });

  it('signs changes and picks arrows by the rounded change', () => {
    expect(formatChange(59)).toBe('+59');
    expect(formatChange(-1234)).toBe('-1,234');
    expect(formatChange(0.2)).toBe('0');
    expect(arrowOf(12)).toBe('▲');
    expect(arrowOf(-3)).toBe('▼');
    expect(arrowOf(0.4)).toBe('•');
    expect([12, -3, 0].map((change) => arrowOf(change, ASCII_GLYPHS))).toEqual(['^', 'v', '=']);
  });

  it('says how many places a topic moved', () => {
    expect(formatRankMove(5, 2)).toBe('↑3');
    expect(formatRankMove(1, 4)).toBe('↓3');
    expect(formatRankMove(21, 5)).toBe('↑16');
    expect(formatRankMove(2, 2)).toBe('');
    expect(formatRankMove(undefined, 2)).toBe('');
    expect(formatRankMove(21, 5, ASCII_GLYPHS)).toBe('^16');
    expect(formatRankMove(1, 4, ASCII_GLYPHS)).toBe('v3');
  });

  it('names the watched categories in the order they were picked', () => {
    expect(watchingText(['music', 'tech'])).toBe('Now watching Music, Tech');
    expect(watchingText([])).toMatch(/^Not watching anything yet/);
    expect(watchingText(['movies', 'music', 'games', 'fashion', 'celebs', 'tech', 'memes', 'sports'])).toBe(
      'Now watching all categories',
    );
  });

  it('describes the connection state, with countdown and attempt while reconnecting', () => {
    expect(statusText({ state: 'connected' })).toBe('connected');
    expect(statusText({ state: 'connecting' })).toBe('connecting…');
    expect(statusText({ state: 'reconnecting', attempt: 2 }, 3)).toBe('reconnecting in 3s (attempt 2)');
    expect(statusText({ state: 'disconnected' })).toBe('disconnected');
    expect(statusText({ state: 'disconnected', reason: 'invalid token' })).toBe(
      'disconnected: invalid token',
    );
  });

  it('says why the connection dropped, in words, with the close code', () => {
    expect(closeCauseText({ code: 1012, reason: 'server restarting', wasConnected: true })).toBe(
      'hub restarting (1012)',
    );
    expect(closeCauseText({ code: 1001, wasConnected: true })).toBe('hub going away (1001)');
    expect(closeCauseText({ code: 1006, wasConnected: true })).toBe('connection lost (1006)');
    expect(closeCauseText({ code: 1006, wasConnected: false })).toBe('hub unreachable (1006)');
    expect(closeCauseText({ code: 4001, reason: 'too many frames', wasConnected: true })).toBe(
      'rate limited by the hub: too many frames (4001)',
    );
    expect(closeCauseText({ code: 3999, reason: 'custom', wasConnected: true })).toBe('custom (3999)');
    expect(closeCauseText({ code: 3999, wasConnected: true })).toBe('closed (3999)');
    expect(closeCauseText({ reason: 'ping timeout', wasConnected: true })).toBe('ping timeout');
    expect(closeCauseText(undefined)).toBe('');
  });

  it('says since when the data on screen is stale', () => {
    const at = new Date(2025, 0, 1, 12, 3, 4).getTime();
    expect(clockTimeOf(at)).toBe('12:03:04');
    expect(staleText(at, 41, 'reconnecting')).toBe(
      'stale since 12:03:04 · showing tick 41 until reconnected',
    );
    expect(staleText(at, 0, 'disconnected', ASCII_GLYPHS)).toBe(
      'stale since 12:03:04 | showing the last data | not reconnecting',
    );
  });
});
