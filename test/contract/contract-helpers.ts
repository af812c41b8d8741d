/**
 * Shared pieces of the engine contract suites: the factory type, engine bookkeeping so every
 * engine a test made is closed, a recorder for what an engine delivers, and polling.
 */
import { afterEach } from 'vitest';
import type { Engine, Publication, PublishOptions } from '../../src/engine/types.ts';

/** Makes a fresh, empty engine; the suites close it after each test. */
export type EngineFactory = () => Promise<Engine>;

export const HISTORY: PublishOptions = { historySize: 10, historyTtlMs: 60_000, state: 'none' };
export const LATEST: PublishOptions = { ...HISTORY, state: 'latest' };
export const COUNTER: PublishOptions = { ...HISTORY, state: 'counter' };
export const BOARD: PublishOptions = { ...HISTORY, state: 'board', maxStrokes: 3 };

/** Returns `make`, which creates an engine with the factory and closes it after the test. */
export function useEngines(factory: EngineFactory): () => Promise<Engine> {
  const open: Engine[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((engine) => engine.close()));
  });
  return async function make() {
    const engine = await factory();
    open.push(engine);
    return engine;
  };
}

export interface Recorder {
  publications: Publication[];
  broadcasts: { channel: string; frame: string }[];
  /** Publications received on one channel. */
  on(channel: string): Publication[];
}

export function record(engine: Engine): Recorder {
  const recorder: Recorder = {
    publications: [],
    broadcasts: [],
    on: (channel) => recorder.publications.filter((p) => p.channel === channel),
  };
  engine.broker.setEventHandler({
    onPublication: (publication) => recorder.publications.push(publication),
    onBroadcast: (channel, frame) => recorder.broadcasts.push({ channel, frame }),
  });
  return recorder;
}

export { sleep, waitFor } from '../helpers/wait.ts';

/** A name no other test uses, so suites may share one store. */
export function uniqueChannel(namespace: string): string {
  return `${namespace}:${Math.random().toString(36).slice(2, 10)}`;
}
