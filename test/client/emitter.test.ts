/** The typed emitter: delivery, removal, and isolation of a throwing listener. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../src/client/emitter.ts';

interface Events {
  tick: number;
  name: string;
}

describe('Emitter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers payloads to every listener of the event, in order of registration', () => {
    const emitter = new Emitter<Events>();
    const seen: string[] = [];
    emitter.on('tick', (n) => seen.push(`a${n}`));
    emitter.on('tick', (n) => seen.push(`b${n}`));
    emitter.on('name', (s) => seen.push(s));
    emitter.emit('tick', 1);
    emitter.emit('name', 'x');
    expect(seen).toEqual(['a1', 'b1', 'x']);
  });

  it('returns a remover that stops further deliveries', () => {
    const emitter = new Emitter<Events>();
    const seen: number[] = [];
    const off = emitter.on('tick', (n) => seen.push(n));
    emitter.emit('tick', 1);
    off();
    emitter.emit('tick', 2);
    expect(seen).toEqual([1]);
    expect(emitter.listenerCount('tick')).toBe(0);
  });

  it('keeps calling other listeners when one throws, and rethrows its error on a fresh task', () => {
    vi.useFakeTimers();
    const emitter = new Emitter<Events>();
    const seen: number[] = [];
    emitter.on('tick', () => {
      throw new Error('listener bug');
    });
    emitter.on('tick', (n) => seen.push(n));
    expect(() => emitter.emit('tick', 7)).not.toThrow();
    expect(seen).toEqual([7]);
    expect(() => vi.runAllTimers()).toThrow('listener bug');
  });
});
