import { describe, expect, it } from 'vitest';
import {
  arrowOf,
  formatChange,
  formatRankMove,
  formatScore,
  statusText,
  watchingText,
} from '../../src/terminal/format.ts';

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
  });

  it('says how many places a topic moved', () => {
    expect(formatRankMove(5, 2)).toBe('↑3');
    expect(formatRankMove(1, 4)).toBe('↓3');
    expect(formatRankMove(2, 2)).toBe('');
    expect(formatRankMove(undefined, 2)).toBe('');
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
});
