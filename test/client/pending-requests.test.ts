/** Requests by id: settled once, synchronously on the reply, by timeout, or all at once on disconnect. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrendStreamError } from '../../src/client/errors.ts';
import { PendingRequests, type RequestOutcome } from '../../src/client/pending-requests.ts';

describe('PendingRequests', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('settles a request synchronously when its reply arrives, and only once', () => {
    const pending = new PendingRequests();
    const outcomes: RequestOutcome[] = [];
    const id = pending.create(1000, (outcome) => outcomes.push(outcome));
    expect(pending.resolve(id, { type: 'pong', id })).toBe(true);
    expect(outcomes).toEqual([{ ok: true, frame: { type: 'pong', id } }]);
    expect(pending.resolve(id, { type: 'pong', id })).toBe(false);
    expect(outcomes).toHaveLength(1);
  });

  it('turns an error frame into a TrendStreamError with the server code', () => {
    const pending = new PendingRequests();
    let error: TrendStreamError | undefined;
    const id = pending.create(1000, (outcome) => {
      if (!outcome.ok) error = outcome.error;
    });
    pending.resolve(id, { type: 'error', id, code: 'forbidden', message: 'no' });
    expect(error).toBeInstanceOf(TrendStreamError);
    expect(error?.code).toBe('forbidden');
  });

  it('rejects with code timeout when no reply comes in time', () => {
    vi.useFakeTimers();
    const pending = new PendingRequests();
    const codes: string[] = [];
    pending.create(500, (outcome) => codes.push(outcome.ok ? 'ok' : outcome.error.code));
    vi.advanceTimersByTime(499);
    expect(codes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(codes).toEqual(['timeout']);
    expect(pending.size).toBe(0);
  });

  it('fails every request at once, with distinct ids', () => {
    const pending = new PendingRequests();
    const codes: string[] = [];
    const ids = [1, 2, 3].map(() => pending.create(1000, (o) => codes.push(o.ok ? 'ok' : o.error.code)));
    expect(new Set(ids).size).toBe(3);
    pending.failAll(new TrendStreamError('disconnected', 'gone'));
    expect(codes).toEqual(['disconnected', 'disconnected', 'disconnected']);
    expect(pending.size).toBe(0);
  });
});
