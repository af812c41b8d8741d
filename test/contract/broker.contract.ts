/**
 * The Broker contract, written once and run against every engine (memory.test.ts, redis.test.ts):
 * seq and epoch, bounded history and recovery, snapshots of each state kind, atomic counters, one
 * refusal for an invalid counter delta, delivery to subscribed channels in seq order, broadcasts and
 * the channel list.
 */
import { describe, expect, it } from 'vitest';
import { InvalidStateInputError } from '../../src/engine/state-input.ts';
import type { Publication, PublishOptions } from '../../src/engine/types.ts';
import {
  BOARD,
  COUNTER,
  HISTORY,
  LATEST,
  record,
  sleep,
  uniqueChannel,
  useEngines,
  waitFor,
  type EngineFactory,
} from './contract-helpers.ts';

const seqs = (publications: Publication[]) => publications.map((p) => p.seq);
const datas = (publications: Publication[]) => publications.map((p) => p.data);

async function publishMany(
  broker: { publish(c: string, d: unknown, o: PublishOptions): Promise<Publication> },
  channel: string,
  count: number,
  options: PublishOptions = HISTORY,
): Promise<Publication[]> {
  const publications: Publication[] = [];
  for (let i = 1; i <= count; i += 1) publications.push(await broker.publish(channel, { n: i }, options));
  return publications;
}

export function describeBrokerContract(name: string, factory: EngineFactory): void {
  describe(`${name} broker contract`, () => {
    const make = useEngines(factory);

    describe('publish', () => {
      it('numbers publications previous+1 per channel, in one epoch', async () => {
        const { broker } = await make();
        const a = uniqueChannel('chat');
        const b = uniqueChannel('chat');
        const first = await publishMany(broker, a, 3);
        const other = await broker.publish(b, 'x', HISTORY);
        const fourth = await broker.publish(a, 'y', HISTORY);
        expect(seqs(first)).toEqual([1, 2, 3]);
        expect(other.seq).toBe(1);
        expect(fourth.seq).toBe(4);
        expect(new Set([...first, fourth].map((p) => p.epoch)).size).toBe(1);
        expect(fourth.epoch.length).toBeGreaterThan(0);
      });

      it('returns the publication as stored: channel, data, time and sender', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('chat');
        const from = { id: 'c1', name: 'Ada', user: 'u1' };
        const before = Date.now();
        const publication = await broker.publish(channel, { text: 'hi' }, HISTORY, from);
        expect(publication).toMatchObject({ channel, seq: 1, data: { text: 'hi' }, from });
        expect(publication.time).toBeGreaterThanOrEqual(before - 1000);
        expect(publication.time).toBeLessThanOrEqual(Date.now() + 1000);
        const { publications } = await broker.history(channel, {}, HISTORY);
        expect(publications).toEqual([publication]);
      });

      it('keeps any JSON value exactly: nesting, unicode, newlines, floats, big integers', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('echo');
        const data = {
          nested: { list: [1, 'two', null, true, { deep: [] }] },
          text: 'line one\nline two "quoted" \\ tab\t ünïcödé 🚀',
          float: 0.1 + 0.2,
          big: Number.MAX_SAFE_INTEGER,
          negative: -1.5e-7,
        };
        const published = await broker.publish(channel, data, HISTORY);
        const { publications } = await broker.history(channel, {}, HISTORY);
        expect(published.data).toEqual(data);
        expect(publications[0]?.data).toEqual(data);
        const scalar = await broker.publish(channel, 'just a string', HISTORY);
        expect(scalar.data).toBe('just a string');
      });
    });

    describe('history', () => {
      it('keeps at most historySize publications, newest last, and honours limit', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('chat');
        const options = { ...HISTORY, historySize: 5 };
        await publishMany(broker, channel, 8, options);
        const all = await broker.history(channel, {}, options);
        expect(seqs(all.publications)).toEqual([4, 5, 6, 7, 8]);
        expect(all.seq).toBe(8);
        expect(all.recovered).toBe(false);
        const newest = await broker.history(channel, { limit: 2 }, options);
        expect(seqs(newest.publications)).toEqual([7, 8]);
        expect(datas(newest.publications)).toEqual([{ n: 7 }, { n: 8 }]);
      });

      it('drops publications older than the TTL', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('chat');
        const options = { ...HISTORY, historyTtlMs: 300 };
        const [first] = await publishMany(broker, channel, 2, options);
        await sleep(400);
        await broker.publish(channel, { n: 3 }, options);
        const result = await broker.history(channel, {}, options);
        expect(seqs(result.publications)).toEqual([3]);
        const stale = await broker.history(channel, { since: { epoch: first.epoch, seq: 1 } }, options);
        expect(stale.recovered).toBe(false);
        expect(stale.publications).toEqual([]);
      });

      it('with since: exactly what follows, recovered', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('chat');
        const published = await publishMany(broker, channel, 6);
        const epoch = published[0].epoch;
        const result = await broker.history(channel, { since: { epoch, seq: 3 } }, HISTORY);
        expect(result).toMatchObject({ epoch, seq: 6, recovered: true });
        expect(result.publications).toEqual(published.slice(3));
        const fromStart = await broker.history(channel, { since: { epoch, seq: 0 } }, HISTORY);
        expect(seqs(fromStart.publications)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(fromStart.recovered).toBe(true);
        const upToDate = await broker.history(channel, { since: { epoch, seq: 6 } }, HISTORY);
        expect(upToDate).toMatchObject({ seq: 6, recovered: true, publications: [] });
      });

      it('with since: not recovered when too old, from another epoch, or in the future', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('chat');
        const options = { ...HISTORY, historySize: 3 };
        const published = await publishMany(broker, channel, 6, options);
        const epoch = published[0].epoch;
        const oldest = await broker.history(channel, { since: { epoch, seq: 3 } }, options);
        expect(oldest).toMatchObject({ recovered: true });
        expect(seqs(oldest.publications)).toEqual([4, 5, 6]);
        for (const since of [
          { epoch, seq: 2 },
          { epoch: `${epoch}x`, seq: 4 },
          { epoch, seq: 7 },
        ]) {
          const result = await broker.history(channel, { since }, options);
          expect(result, JSON.stringify(since)).toMatchObject({
            epoch,
            seq: 6,
            recovered: false,
            publications: [],
          });
        }
      });

      it('without stored history only an up-to-date position is recovered', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('metrics');
        const options = { ...LATEST, historySize: 0 };
        const [, second] = await publishMany(broker, channel, 2, options);
        const current = await broker.history(channel, { since: { epoch: second.epoch, seq: 2 } }, options);
        expect(current).toMatchObject({ recovered: true, publications: [] });
        const behind = await broker.history(channel, { since: { epoch: second.epoch, seq: 1 } }, options);
        expect(behind).toMatchObject({ recovered: false, publications: [] });
      });

      it('gives a never-published channel seq 0 and an epoch its first publication keeps', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('chat');
        const empty = await broker.history(channel, {}, HISTORY);
        expect(empty).toMatchObject({ seq: 0, publications: [] });
        const first = await broker.publish(channel, 'a', HISTORY);
        expect(first.epoch).toBe(empty.epoch);
        const recovered = await broker.history(channel, { since: { epoch: empty.epoch, seq: 0 } }, HISTORY);
        expect(recovered).toMatchObject({ recovered: true, publications: [first] });
      });
    });

    describe('snapshot', () => {
      it('latest: the last data and the position it reflects', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('trends');
        const never = await broker.snapshot(channel);
        expect(never).toMatchObject({ seq: 0, state: undefined });
        await broker.publish(channel, { price: 1 }, LATEST);
        const last = await broker.publish(channel, { price: 2 }, LATEST);
        expect(await broker.snapshot(channel)).toEqual({ epoch: last.epoch, seq: 2, state: { price: 2 } });
      });

      it('none: no state, only the position', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('events');
        await broker.publish(channel, { e: 1 }, HISTORY);
        expect(await broker.snapshot(channel)).toMatchObject({ seq: 1, state: undefined });
      });

      it('counter: adds deltas and publishes {value}', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('counter');
        const values: unknown[] = [];
        for (const delta of [1, 1, 1, -1, 5])
          values.push((await broker.publish(channel, { delta }, COUNTER)).data);
        expect(values).toEqual([{ value: 1 }, { value: 2 }, { value: 3 }, { value: 2 }, { value: 7 }]);
        expect(await broker.snapshot(channel)).toMatchObject({ seq: 5, state: 7 });
        const { publications } = await broker.history(channel, {}, COUNTER);
        expect(publications.at(-1)?.data).toEqual({ value: 7 });
      });

      it('board: appends strokes up to maxStrokes, newest kept, and clear empties it', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('board');
        const stroke = (n: number) => ({ op: 'stroke', points: [[n, n]], color: '#000000', size: 1 });
        for (let n = 1; n <= 5; n += 1) await broker.publish(channel, stroke(n), BOARD);
        expect(await broker.snapshot(channel)).toMatchObject({
          seq: 5,
          state: [stroke(3), stroke(4), stroke(5)],
        });
        const cleared = await broker.publish(channel, { op: 'clear' }, BOARD);
        expect(cleared.data).toEqual({ op: 'clear' });
        expect(await broker.snapshot(channel)).toMatchObject({ seq: 6, state: [] });
        await broker.publish(channel, stroke(7), BOARD);
        expect(await broker.snapshot(channel)).toMatchObject({ seq: 7, state: [stroke(7)] });
      });

      it('counter increments are atomic under concurrency, and snapshots are consistent', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('counter');
        const snapshots: Promise<{ seq: number; state: unknown }>[] = [];
        const publishes: Promise<Publication>[] = [];
        for (let i = 0; i < 200; i += 1) {
          publishes.push(broker.publish(channel, { delta: 1 }, COUNTER));
          if (i % 20 === 0) snapshots.push(broker.snapshot(channel));
        }
        const published = await Promise.all(publishes);
        // Every publication's value equals its seq: no increment was lost or applied twice.
        for (const p of published) expect(p.data).toEqual({ value: p.seq });
        expect(new Set(seqs(published)).size).toBe(200);
        for (const snapshot of await Promise.all(snapshots)) expect(snapshot.state ?? 0).toBe(snapshot.seq);
        expect(await broker.snapshot(channel)).toMatchObject({ seq: 200, state: 200 });
      });
    });

    describe('invalid counter input', () => {
      const MAX = Number.MAX_SAFE_INTEGER;
      /** Each is refused the same way by every engine (src/engine/state-input.ts). */
      const INVALID: [string, unknown][] = [
        ['no delta', {}],
        ['no data', undefined],
        ['null data', null],
        ['a number as data', 1],
        ['delta null', { delta: null }],
        ['delta a word', { delta: 'one' }],
        ['delta a numeric string', { delta: '1' }],
        ['delta a boolean', { delta: true }],
        ['delta an array', { delta: [1] }],
        ['delta an object', { delta: { n: 1 } }],
        ['delta NaN', { delta: Number.NaN }],
        ['delta Infinity', { delta: Number.POSITIVE_INFINITY }],
        ['delta -Infinity', { delta: Number.NEGATIVE_INFINITY }],
        ['delta a float', { delta: 1.5 }],
        ['delta a tiny float', { delta: 1e-9 }],
        ['delta MAX_SAFE_INTEGER + 1', { delta: MAX + 1 }],
        ['delta MIN_SAFE_INTEGER - 1', { delta: -MAX - 1 }],
        ['delta 1e21', { delta: 1e21 }],
      ];

      async function expectRefused(promise: Promise<Publication>, what: string): Promise<void> {
        const error = await promise.then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(error, what).toBeInstanceOf(InvalidStateInputError);
        expect((error as Error).message, what).toMatch(/^a counter delta must be a safe integer/);
        expect(error, what).toMatchObject({ code: 'invalid_state_input' });
      }

      it('rejects each invalid delta; seq, value, history and subscribers are untouched', async () => {
        const engine = await make();
        const recorder = record(engine);
        const { broker } = engine;
        const channel = uniqueChannel('counter');
        await broker.subscribe(channel);
        const first = await broker.publish(channel, { delta: 1 }, COUNTER);
        for (const [what, data] of INVALID) await expectRefused(broker.publish(channel, data, COUNTER), what);
        expect(await broker.snapshot(channel)).toEqual({ epoch: first.epoch, seq: 1, state: 1 });
        expect((await broker.history(channel, {}, COUNTER)).publications).toEqual([first]);
        const next = await broker.publish(channel, { delta: 1 }, COUNTER);
        expect(next).toMatchObject({ epoch: first.epoch, seq: 2, data: { value: 2 } });
        // Delivery is in seq order, so once seq 2 arrived anything sent for a refused input would have too.
        await waitFor('the valid increment', () => recorder.on(channel).length >= 2);
        expect(recorder.on(channel)).toEqual([first, next]);
      });

      it('an invalid first publish creates no channel', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('counter');
        await expectRefused(broker.publish(channel, { delta: 0.5 }, COUNTER), 'delta 0.5');
        expect((await broker.channels()).map((c) => c.channel)).not.toContain(channel);
        expect(await broker.publish(channel, { delta: -1 }, COUNTER)).toMatchObject({
          seq: 1,
          data: { value: -1 },
        });
      });

      it('refuses a delta that would take the counter beyond ±MAX_SAFE_INTEGER, and keeps it exact', async () => {
        const { broker } = await make();
        const channel = uniqueChannel('counter');
        const near = await broker.publish(channel, { delta: MAX - 1 }, COUNTER);
        expect(near.data).toEqual({ value: MAX - 1 });
        await expectRefused(broker.publish(channel, { delta: 2 }, COUNTER), '+2 at MAX-1');
        expect(await broker.publish(channel, { delta: 1 }, COUNTER)).toMatchObject({
          seq: 2,
          data: { value: MAX },
        });
        await expectRefused(broker.publish(channel, { delta: 1 }, COUNTER), '+1 at MAX');
        expect(await broker.snapshot(channel)).toMatchObject({ seq: 2, state: MAX });
        // Down to the other bound: -MAX is allowed, one below is not.
        expect(await broker.publish(channel, { delta: -MAX }, COUNTER)).toMatchObject({
          seq: 3,
          data: { value: 0 },
        });
        expect(await broker.publish(channel, { delta: -MAX }, COUNTER)).toMatchObject({
          seq: 4,
          data: { value: -MAX },
        });
        await expectRefused(broker.publish(channel, { delta: -1 }, COUNTER), '-1 at -MAX');
        const { publications } = await broker.history(channel, {}, COUNTER);
        expect(publications.map((p) => p.data)).toEqual([
          { value: MAX - 1 },
          { value: MAX },
          { value: 0 },
          { value: -MAX },
        ]);
        expect(await broker.snapshot(channel)).toMatchObject({ seq: 4, state: -MAX });
      });
    });

    describe('delivery', () => {
      it('delivers only subscribed channels, in seq order, and stops after unsubscribe', async () => {
        const engine = await make();
        const recorder = record(engine);
        const { broker } = engine;
        const wanted = uniqueChannel('chat');
        const other = uniqueChannel('chat');
        await broker.subscribe(wanted);
        await broker.publish(other, 'ignored', HISTORY);
        await Promise.all(Array.from({ length: 30 }, (_, i) => broker.publish(wanted, { i }, HISTORY)));
        await waitFor('30 publications', () => recorder.on(wanted).length >= 30);
        expect(seqs(recorder.on(wanted))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        await broker.unsubscribe(wanted);
        await broker.subscribe(other);
        await broker.publish(wanted, 'after', HISTORY);
        await broker.publish(other, 'sentinel', HISTORY);
        await waitFor('the sentinel', () => recorder.on(other).length === 1);
        expect(recorder.on(other).map((p) => p.data)).toEqual(['sentinel']);
        expect(recorder.on(wanted)).toHaveLength(30);
      });

      it('delivers what publish returned', async () => {
        const engine = await make();
        const recorder = record(engine);
        const channel = uniqueChannel('chat');
        await engine.broker.subscribe(channel);
        const published = await engine.broker.publish(channel, { text: 'x' }, HISTORY, {
          id: 'c',
          name: 'n',
        });
        await waitFor('delivery', () => recorder.publications.length === 1);
        expect(recorder.publications[0]).toEqual(published);
      });

      it('broadcasts a frame as is to subscribed channels only, without storing it', async () => {
        const engine = await make();
        const recorder = record(engine);
        const { broker } = engine;
        const channel = uniqueChannel('chat');
        const elsewhere = uniqueChannel('chat');
        await broker.subscribe(channel);
        const frame = JSON.stringify({ type: 'ephemeral', channel, data: { typing: true } });
        await broker.broadcast(elsewhere, 'nobody listens');
        await broker.broadcast(channel, frame);
        await waitFor('the broadcast', () => recorder.broadcasts.length >= 1);
        await sleep(20);
        expect(recorder.broadcasts).toEqual([{ channel, frame }]);
        expect(await broker.history(channel, {}, HISTORY)).toMatchObject({ seq: 0, publications: [] });
      });

      it('subscribing twice to a channel delivers each publication once', async () => {
        const engine = await make();
        const recorder = record(engine);
        const channel = uniqueChannel('chat');
        await engine.broker.subscribe(channel);
        await engine.broker.subscribe(channel);
        await engine.broker.publish(channel, 1, HISTORY);
        await engine.broker.publish(channel, 2, HISTORY);
        await waitFor('two publications', () => recorder.publications.length >= 2);
        await sleep(20);
        expect(seqs(recorder.publications)).toEqual([1, 2]);
      });
    });

    it('lists published channels with their position', async () => {
      const { broker } = await make();
      const a = uniqueChannel('chat');
      const b = uniqueChannel('metrics');
      await publishMany(broker, a, 3);
      const last = await broker.publish(b, 1, LATEST);
      const listed = await broker.channels();
      expect(listed).toContainEqual({ channel: a, epoch: expect.any(String) as unknown, seq: 3 });
      expect(listed).toContainEqual({ channel: b, epoch: last.epoch, seq: 1 });
    });
  });
}
