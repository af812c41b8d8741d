/** A description of the machine a run happened on, for the report and docs/performance.md. */
import { cpus, loadavg, release, totalmem } from 'node:os';
import type { MachineInfo } from './report/records.ts';

export function describeMachine(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    kernel: `Linux ${release()}`,
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}
