/**
 * CPU time of any process and of the whole machine, from /proc (Linux): used for the load
 * generator's own processes, so the report can say which side saturated. The server under test
 * reports its own CPU and memory (server-child.ts), which is finer-grained than clock ticks.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of `pid` in ms, or undefined when it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export interface MachineCpu {
  busyMs: number;
  totalMs: number;
}

/** Busy and total CPU time of all cores since boot (idle and iowait count as not busy). */
export function machineCpu(): MachineCpu {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.slice(0, 8).reduce((sum, t) => sum + t, 0);
  const idle = ticks[3] + ticks[4];
  return { busyMs: ((total - idle) * 1000) / TICKS_PER_SECOND, totalMs: (total * 1000) / TICKS_PER_SECOND };
}

/** CPU utilisation between two samples, in % of one core (so 2 busy cores read 200). */
export function cpuPercent(
  beforeMs: number | undefined,
  afterMs: number | undefined,
  wallMs: number,
): number {
  if (beforeMs === undefined || afterMs === undefined || wallMs <= 0) return 0;
  return ((afterMs - beforeMs) / wallMs) * 100;
}

/** Machine busy % of one core's worth (0–100 × cores) between two samples. */
export function machinePercent(before: MachineCpu, after: MachineCpu, cores: number): number {
  const total = after.totalMs - before.totalMs;
  if (total <= 0) return 0;
  return ((after.busyMs - before.busyMs) / total) * 100 * cores;
}
