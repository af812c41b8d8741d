/**
 * Memory figures for "memory stays bounded" assertions: heap used after a full garbage collection
 * (so the number reflects what is retained, not what is waiting to be collected) and the RSS.
 * `gc` is reached without `--expose-gc` on the command line, so suites run under plain `npm test`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

export interface MemoryFigures {
  heapUsedMb: number;
  rssMb: number;
}

export async function settledMemory(): Promise<MemoryFigures> {
  // Two passes with a turn of the event loop between: finalizers and weak callbacks run in between.
  collect();
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsedMb: toMb(heapUsed), rssMb: toMb(rss) };
}

function toMb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}
