/** The stamp must survive every server's envelope, or the bench silently counts nothing. */
import { describe, expect, it } from 'vitest';
import { monotonicMicros } from '../clock.ts';
import { decodeStamp, encodeMessage, type Stamp } from './message.ts';

function decode(text: string): Stamp | undefined {
  const out: Stamp = { sentAt: 0, phase: 0, seq: 0 };
  return decodeStamp(Buffer.from(text), out) ? out : undefined;
}

describe('bench message', () => {
  const stamp = { sentAt: 1_234_567_890_123, phase: 7, seq: 4242 };

  it('is exactly the requested size and valid JSON', () => {
    const text = encodeMessage(stamp, 200);
    expect(Buffer.byteLength(text)).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ bt: stamp.sentAt, ph: 7, sq: 4242 });
  });

  it('is found inside the raw, Socket.IO and TrendStream envelopes', () => {
    const data = encodeMessage(stamp);
    const reserialized = JSON.stringify(JSON.parse(data));
    expect(decode(data)).toEqual(stamp);
    expect(decode(`42["m",${reserialized}]`)).toEqual(stamp);
    const publication = { type: 'publication', channel: 'events', seq: 9, data: JSON.parse(data) as unknown };
    expect(decode(JSON.stringify(publication))).toEqual(stamp);
  });

  it('is not found in control messages', () => {
    expect(decode('{"type":"client_count","count":3}')).toBeUndefined();
    expect(decode('2')).toBeUndefined();
    expect(decode('{"bt":x')).toBeUndefined();
  });
});

describe('monotonicMicros', () => {
  it('reads the same clock as process.hrtime (comparable across processes)', () => {
    // Bracketed by two hrtime reads, so a preemption between reads (a loaded CI host) widens the
    // bracket instead of failing; 50 µs is the calibration's allowance.
    for (let i = 0; i < 5; i += 1) {
      const before = Number(process.hrtime.bigint()) / 1000;
      const reading = monotonicMicros();
      const after = Number(process.hrtime.bigint()) / 1000;
      expect(reading).toBeGreaterThanOrEqual(before - 50);
      expect(reading).toBeLessThanOrEqual(after + 50);
    }
  });
});
