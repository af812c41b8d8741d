/**
 * Reads a V8 `.cpuprofile` (written by `--cpu-prof`) and lists the functions with the most self
 * time, so `npm run bench -- --cpu-prof` names the hot path without opening DevTools.
 * Also runnable alone: `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface HotFunction {
  name: string;
  /** Where it is defined, relative to the working directory. */
  location: string;
  selfMs: number;
  /** Share of the busy (not idle) samples. */
  selfPercent: number;
}

function isCpuProfile(value: unknown): value is CpuProfile {
  return typeof value === 'object' && value !== null && Array.isArray((value as CpuProfile).nodes);
}

function readProfile(path: string): CpuProfile {
  const profile: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isCpuProfile(profile)) throw new Error(`${path} is not a V8 CPU profile`);
  return profile;
}

const NOT_WORK = new Set(['(idle)', '(program)', '(root)']);

/** Samples spent running code (not idle): tells the main thread's profile from the loader thread's. */
export function busySamples(path: string): number {
  return readProfile(path).nodes.reduce(
    (n, node) => n + (NOT_WORK.has(node.callFrame.functionName) ? 0 : (node.hitCount ?? 0)),
    0,
  );
}

/** The busiest thread's profile among a process's `.cpuprofile` files. */
export function busiestProfile(paths: string[]): string | undefined {
  let best: string | undefined;
  let bestSamples = -1;
  for (const path of paths) {
    const samples = busySamples(path);
    if (samples > bestSamples) {
      best = path;
      bestSamples = samples;
    }
  }
  return best;
}

export function hotFunctions(path: string, top = 15): HotFunction[] {
  const profile = readProfile(path);
  const totalHits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const msPerHit = totalHits > 0 ? (profile.endTime - profile.startTime) / 1000 / totalHits : 0;
  const busyHits = profile.nodes.reduce(
    (n, node) => n + (node.callFrame.functionName === '(idle)' ? 0 : (node.hitCount ?? 0)),
    0,
  );
  const byFunction = new Map<string, HotFunction>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0 || node.callFrame.functionName === '(idle)') continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const file = url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url;
    const location = file ? `${file}:${lineNumber + 1}` : '';
    const key = `${name}@${location}`;
    const entry = byFunction.get(key) ?? { name, location, selfMs: 0, selfPercent: 0 };
    entry.selfMs += hits * msPerHit;
    entry.selfPercent += busyHits > 0 ? (hits / busyHits) * 100 : 0;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top)
    .map((f) => ({ ...f, selfMs: Math.round(f.selfMs), selfPercent: Math.round(f.selfPercent * 10) / 10 }));
}

export function renderHotFunctions(path: string, top = 15): string {
  const lines = hotFunctions(path, top).map(
    (f) =>
      `${f.selfPercent.toFixed(1).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.name}  ${f.location}`,
  );
  return [`${relative(process.cwd(), path)} (self time, idle excluded)`, ...lines].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  console.log(renderHotFunctions(file, Number(top ?? 25)));
}
