/** The offline publish queue: order, bound, rejection. */
import { describe, expect, it } from 'vitest';
import { TrendStreamError } from '../../src/client/errors.ts';
import { OutboundQueue } from '../../src/client/outbound-queue.ts';

describe('OutboundQueue', () => {
  it('drains in the order publishes were made', () => {
    const queue = new OutboundQueue(10);
    void queue.enqueue('echo', 1);
    void queue.enqueue('chat:a', 2);
    void queue.enqueue('echo', 3);
    expect(queue.drain().map((item) => [item.channel, item.data])).toEqual([
      ['echo', 1],
      ['chat:a', 2],
      ['echo', 3],
    ]);
    expect(queue.length).toBe(0);
  });

  it('refuses the new publish with queue_full when the bound is reached, keeping the queued ones', async () => {
    const queue = new OutboundQueue(2);
    void queue.enqueue('echo', 1);
    void queue.enqueue('echo', 2);
    await expect(queue.enqueue('echo', 3)).rejects.toMatchObject({ code: 'queue_full' });
    expect(queue.drain().map((item) => item.data)).toEqual([1, 2]);
  });

  it('rejects every waiting publish with the given error', async () => {
    const queue = new OutboundQueue(5);
    const first = queue.enqueue('echo', 1);
    const second = queue.enqueue('echo', 2);
    queue.rejectAll(new TrendStreamError('disconnected', 'closed by the application'));
    await expect(first).rejects.toMatchObject({ code: 'disconnected' });
    await expect(second).rejects.toMatchObject({ code: 'disconnected' });
    expect(queue.length).toBe(0);
  });

  it('resolves a publish with what the flusher hands it', async () => {
    const queue = new OutboundQueue(1);
    const published = queue.enqueue('echo', 'x');
    const [item] = queue.drain();
    item?.resolve({ channel: 'echo', epoch: 'e', seq: 4 });
    await expect(published).resolves.toEqual({ channel: 'echo', epoch: 'e', seq: 4 });
  });
});
