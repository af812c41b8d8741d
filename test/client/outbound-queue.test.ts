/** The offline queue of publishes and RPCs: order, bound, rejection. */
import { describe, expect, it } from 'vitest';
import { TrendStreamError } from '../../src/client/errors.ts';
import { OutboundQueue } from '../../src/client/outbound-queue.ts';

const publish = (channel: string, data: unknown) => ({ type: 'publish' as const, channel, data });

describe('OutboundQueue', () => {
  it('drains in the order publishes and RPCs were made, with their own timeouts', () => {
    const queue = new OutboundQueue(10);
    void queue.enqueue(publish('echo', 1));
    void queue.enqueue({ type: 'rpc', method: 'save', data: 2 }, 500);
    void queue.enqueue(publish('echo', 3));
    expect(queue.drain().map((item) => [item.frame, item.timeoutMs])).toEqual([
      [publish('echo', 1), undefined],
      [{ type: 'rpc', method: 'save', data: 2 }, 500],
      [publish('echo', 3), undefined],
    ]);
    expect(queue.length).toBe(0);
  });

  it('refuses the new request with queue_full when the bound is reached, keeping the queued ones', async () => {
    const queue = new OutboundQueue(2);
    void queue.enqueue(publish('echo', 1));
    void queue.enqueue(publish('echo', 2));
    await expect(queue.enqueue(publish('echo', 3))).rejects.toMatchObject({ code: 'queue_full' });
    await expect(queue.enqueue({ type: 'rpc', method: 'm' })).rejects.toMatchObject({ code: 'queue_full' });
    expect(queue.drain().map((item) => item.frame)).toEqual([publish('echo', 1), publish('echo', 2)]);
  });

  it('rejects every waiting request with the given error', async () => {
    const queue = new OutboundQueue(5);
    const first = queue.enqueue(publish('echo', 1));
    const second = queue.enqueue({ type: 'rpc', method: 'm' });
    queue.rejectAll(new TrendStreamError('disconnected', 'closed by the application'));
    await expect(first).rejects.toMatchObject({ code: 'disconnected' });
    await expect(second).rejects.toMatchObject({ code: 'disconnected' });
    expect(queue.length).toBe(0);
  });

  it('resolves a request with the reply the flusher hands it', async () => {
    const queue = new OutboundQueue(1);
    const published = queue.enqueue(publish('echo', 'x'));
    const [item] = queue.drain();
    item?.resolve({ type: 'ack', channel: 'echo', epoch: 'e', seq: 4 });
    await expect(published).resolves.toEqual({ type: 'ack', channel: 'echo', epoch: 'e', seq: 4 });
  });
});
