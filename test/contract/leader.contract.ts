/**
 * The leader contract, written once and run against every engine: a task given to `runAsLeader`
 * starts once, keeps running, stops once on release, and can be taken up again afterwards.
 */
import { describe, expect, it } from 'vitest';
import type { LeaderTask } from '../../src/engine/types.ts';
import { sleep, useEngines, waitFor, type EngineFactory } from './contract-helpers.ts';

interface CountingTask extends LeaderTask {
  starts: number;
  stops: number;
}

function countingTask(): CountingTask {
  const task: CountingTask = {
    starts: 0,
    stops: 0,
    start: () => {
      task.starts += 1;
    },
    stop: () => {
      task.stops += 1;
    },
  };
  return task;
}

/** `settleMs`: longer than the engine's lock renewal interval, so renewals are exercised. */
export function describeLeaderContract(name: string, factory: EngineFactory, settleMs = 100): void {
  describe(`${name} leader contract`, () => {
    const make = useEngines(factory);

    it('runs the task once while leading and stops it once on release', async () => {
      const engine = await make();
      const task = countingTask();
      const release = engine.runAsLeader(`feeds-${Math.random()}`, task);
      await waitFor('the task to start', () => task.starts === 1);
      await sleep(settleMs);
      expect(task).toMatchObject({ starts: 1, stops: 0 });
      release();
      await waitFor('the task to stop', () => task.stops === 1);
      release();
      await sleep(settleMs / 2);
      expect(task).toMatchObject({ starts: 1, stops: 1 });
    });

    it('runs tasks of different names side by side, and a released name can be led again', async () => {
      const engine = await make();
      const name = `feeds-${Math.random()}`;
      const first = countingTask();
      const other = countingTask();
      const releaseFirst = engine.runAsLeader(name, first);
      const releaseOther = engine.runAsLeader(`${name}-other`, other);
      await waitFor('both tasks to start', () => first.starts === 1 && other.starts === 1);
      releaseFirst();
      await waitFor('the first task to stop', () => first.stops === 1);
      const second = countingTask();
      const releaseSecond = engine.runAsLeader(name, second);
      await waitFor('the name to be led again', () => second.starts === 1);
      expect(other.stops).toBe(0);
      releaseSecond();
      releaseOther();
      await waitFor('all stopped', () => second.stops === 1 && other.stops === 1);
    });

    it('is healthy while its store is reachable, and closes cleanly', async () => {
      const engine = await make();
      expect(engine.healthy()).toBe(true);
      expect(typeof engine.name).toBe('string');
    });
  });
}
