/**
 * The WebhookLog contract, written once and run against every engine: which facts become which
 * events, the debounce of removals (a rejoin in time cancels them, silently), the bounded queue,
 * and batches that keep their id and events until acknowledged.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Engine, WebhookEvent, WebhookLog, WebhookLogOptions } from '../../src/engine/types.ts';
import {
  COUNTER,
  HISTORY,
  sleep,
  uniqueChannel,
  useEngines,
  type EngineFactory,
} from './contract-helpers.ts';

const DEBOUNCE_MS = 200;

interface Harness {
  log: WebhookLog;
  dropped: number[];
}

function open(engine: Engine, options: Partial<WebhookLogOptions> = {}): Harness {
  const dropped: number[] = [];
  const log = engine.webhookLog({
    debounceMs: DEBOUNCE_MS,
    maxQueue: 1000,
    onDropped: (count) => dropped.push(count),
    ...options,
  });
  return { log, dropped };
}

/** Promote what is due, then take and acknowledge every batch; events without their time. */
async function drain(log: WebhookLog): Promise<Omit<WebhookEvent, 'time_ms'>[]> {
  await log.promote();
  const events: WebhookEvent[] = [];
  for (;;) {
    const batch = await log.take(100, randomUUID());
    if (!batch) break;
    events.push(...batch.events);
    await log.ack(batch.id);
  }
  return events.map(({ time_ms: _time, ...rest }) => rest);
}

export function describeWebhookLogContract(name: string, factory: EngineFactory): void {
  describe(`${name} webhook log contract`, () => {
    const make = useEngines(factory);

    it('announces a channel and each member once, per user however many connections', async () => {
      const { log } = open(await make());
      const channel = uniqueChannel('chat');
      await log.join({ channel, client: 'a1', member: 'u:ada' });
      await log.join({ channel, client: 'a2', member: 'u:ada' });
      await log.join({ channel, client: 'g1', member: 'c:g1' });
      await log.join({ channel, client: 'a1', member: 'u:ada' }); // the same subscription again
      expect(await drain(log)).toEqual([
        { name: 'channel_occupied', channel },
        { name: 'member_added', channel, user: 'ada' },
        { name: 'member_added', channel, client: 'g1' },
      ]);
    });

    it('announces only occupancy where there is no presence', async () => {
      const { log } = open(await make());
      const channel = uniqueChannel('trends');
      await log.join({ channel, client: 'a' });
      await log.join({ channel, client: 'b' });
      await log.leave(channel, 'a');
      await log.leave(channel, 'b');
      await sleep(DEBOUNCE_MS + 50);
      expect(await drain(log)).toEqual([
        { name: 'channel_occupied', channel },
        { name: 'channel_vacated', channel },
      ]);
    });

    it('announces a departure once, after the debounce, the member before the channel', async () => {
      const { log } = open(await make());
      const channel = uniqueChannel('chat');
      await log.join({ channel, client: 'a1', member: 'u:ada' });
      await log.join({ channel, client: 'a2', member: 'u:ada' });
      await drain(log);
      await log.leave(channel, 'a1');
      await log.leave(channel, 'a1'); // unknown by now: ignored
      await log.leave(uniqueChannel('chat'), 'a2'); // never joined: ignored
      const leftAt = Date.now();
      await log.leave(channel, 'a2');
      expect(await drain(log)).toEqual([]);
      await sleep(DEBOUNCE_MS + 50);
      await log.promote();
      const batch = await log.take(100, randomUUID());
      expect(batch?.events.map((e) => e.name)).toEqual(['member_removed', 'channel_vacated']);
      expect(batch?.events[0]).toMatchObject({ channel, user: 'ada' });
      // Stamped when the member left, not when the debounce ran out.
      for (const event of batch?.events ?? []) {
        expect(Math.abs(event.time_ms - leftAt)).toBeLessThan(DEBOUNCE_MS / 2);
      }
      await log.ack(batch?.id ?? '');
      await sleep(DEBOUNCE_MS);
      expect(await drain(log)).toEqual([]);
    });

    it('sends nothing for a reload: leaving and coming back within the debounce', async () => {
      const { log } = open(await make());
      const channel = uniqueChannel('chat');
      await log.join({ channel, client: 'tab1', member: 'u:ada' });
      await drain(log);
      await log.leave(channel, 'tab1');
      await sleep(DEBOUNCE_MS / 4);
      await log.join({ channel, client: 'tab1-reloaded', member: 'u:ada' });
      await sleep(DEBOUNCE_MS + 50);
      expect(await drain(log)).toEqual([]);
      // Leaving for good afterwards is announced once.
      await log.leave(channel, 'tab1-reloaded');
      await sleep(DEBOUNCE_MS + 50);
      expect(await drain(log)).toEqual([
        { name: 'member_removed', channel, user: 'ada' },
        { name: 'channel_vacated', channel },
      ]);
    });

    it('keeps a channel occupied when another member arrives while one is away', async () => {
      const { log } = open(await make());
      const channel = uniqueChannel('chat');
      await log.join({ channel, client: 'a', member: 'u:ada' });
      await drain(log);
      await log.leave(channel, 'a');
      await log.join({ channel, client: 'b', member: 'u:bob' });
      expect(await drain(log)).toEqual([{ name: 'member_added', channel, user: 'bob' }]);
      await sleep(DEBOUNCE_MS + 50);
      expect(await drain(log)).toEqual([{ name: 'member_removed', channel, user: 'ada' }]);
    });

    it('queues appended events in order with decided ones, and drops the oldest beyond the bound', async () => {
      const { log, dropped } = open(await make(), { maxQueue: 3 });
      const channel = uniqueChannel('orders');
      await log.join({ channel, client: 'a' });
      const publication = (seq: number): WebhookEvent => ({
        name: 'client_publication',
        channel,
        time_ms: 1,
        client: 'a',
        data: { n: seq, text: 'ünïcode "quoted"' },
        epoch: 'e',
        seq,
      });
      for (let seq = 1; seq <= 4; seq += 1) await log.append(publication(seq));
      expect(dropped.reduce((a, b) => a + b, 0)).toBe(2);
      expect(await log.size()).toBe(3);
      const batch = await log.take(100, 'b1');
      expect(batch?.events).toEqual([publication(2), publication(3), publication(4)]);
    });

    it('hands out the same batch until it is acknowledged, then the next one', async () => {
      const { log } = open(await make());
      const channel = uniqueChannel('orders');
      for (let seq = 1; seq <= 5; seq += 1) {
        await log.append({ name: 'client_publication', channel, time_ms: seq, data: seq, seq });
      }
      expect(await log.take(3, 'first')).toMatchObject({ id: 'first' });
      const again = await log.take(3, 'another');
      expect(again?.id).toBe('first');
      expect(again?.events.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(await log.size()).toBe(2);
      await log.ack('not-this-one');
      expect((await log.take(3, 'x'))?.id).toBe('first');
      await log.ack('first');
      const next = await log.take(3, 'second');
      expect(next?.id).toBe('second');
      expect(next?.events.map((e) => e.seq)).toEqual([4, 5]);
      expect(typeof next?.time).toBe('number');
      await log.ack('second');
      expect(await log.take(3, 'third')).toBeUndefined();
    });

    it('queues the event of a client publication in a webhook namespace with the publish, in seq order', async () => {
      const engine = await make();
      const { log } = open(engine);
      const channel = uniqueChannel('orders');
      const options = { ...HISTORY, publicationWebhook: true };
      const ada = { id: 'c1', name: 'Ada', user: 'ada' };
      const data = { text: 'ünïcode "quoted"\n', big: 9007199254740991, float: 0.1 };
      await engine.broker.publish(channel, data, options, ada);
      await engine.broker.publish(channel, { server: true }, options); // no sender: not a client's
      await engine.broker.publish(channel, { off: true }, HISTORY, ada); // namespace not opted in
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          engine.broker.publish(channel, { i }, options, { id: `anon${i}`, name: 'Anon' }),
        ),
      );
      const counter = uniqueChannel('counter');
      await engine.broker.publish(counter, { delta: 5 }, { ...COUNTER, publicationWebhook: true }, ada);
      const events = await drain(log);
      expect(events[0]).toEqual({
        name: 'client_publication',
        channel,
        client: 'c1',
        user: 'ada',
        data,
        epoch: expect.any(String) as unknown,
        seq: 1,
      });
      expect(events.slice(1, 21).map((e) => [e.seq, e.client, e.user])).toEqual(
        Array.from({ length: 20 }, (_, i) => [i + 4, `anon${i}`, undefined]),
      );
      // As published: the counter's new value, not the delta.
      expect(events.slice(21)).toEqual([
        expect.objectContaining({ channel: counter, data: { value: 5 }, seq: 1 }) as unknown,
      ]);
    });
  });
}
