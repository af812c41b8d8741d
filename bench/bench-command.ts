/**
 * `npm run bench`: the fan-out benchmark of TrendStream against raw `ws` and Socket.IO on loopback,
 * the HTTP publish cost, and (asked for with `--scenario backend`) the backend proxies. The harness
 * lives in bench/; this only maps flags onto its options.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Scenario } from './report/records.ts';
import { DEFAULT_OPTIONS, DEFAULT_SCENARIOS, SCENARIOS, runBench } from './run-bench.ts';
import { SERVER_KINDS, isServerKind, type ServerKind } from './servers/kinds.ts';

function parseServers(value: string): ServerKind[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isServerKind(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(`servers are a comma-separated subset of ${SERVER_KINDS.join(', ')}`);
  }
  return SERVER_KINDS.filter((kind) => names.includes(kind));
}

function parseScenarios(value: string): Scenario[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.includes('all')) return [...SCENARIOS];
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(
      `scenarios are a comma-separated subset of ${SCENARIOS.join(', ')}, or all`,
    );
  }
  return SCENARIOS.filter((name) => names.includes(name));
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError('workers must be 1–16');
  return n;
}

function parseClients(value: string): number[] {
  const counts = value.split(',').map((s) => Number(s.trim()));
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(
      "clients is a comma-separated list of the plan's C values, e.g. 1000,5000",
    );
  }
  return counts;
}

function parseBytes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 64 || n > 60_000)
    throw new InvalidArgumentError('message bytes must be 64–60000');
  return n;
}

interface BenchFlags {
  scenario: Scenario[];
  messageBytes?: number;
  clients?: number[];
  quick?: boolean;
  servers: ServerKind[];
  out: string;
  cpuProf?: boolean;
  workers: number;
}

/** The `npm run bench` command line (its own program: the product's CLI does not ship the bench). */
export function benchProgram(): Command {
  return new Command('bench')
    .description(
      'fan-out benchmark against raw ws and Socket.IO, HTTP publish cost, backend proxies (tables on stdout, JSON and HTML in bench/results)',
    )
    .option('--quick', 'one fan-out level (C=1000) and short scenarios, under 45 s')
    .addOption(
      new Option(
        '--scenario <list>',
        `comma-separated subset of ${SCENARIOS.join(', ')}, or all (backend: connect rate and publish latency with the proxies)`,
      )
        .argParser(parseScenarios)
        .default([...DEFAULT_SCENARIOS], DEFAULT_SCENARIOS.join(',')),
    )
    .addOption(
      new Option('--servers <list>', `comma-separated subset of ${SERVER_KINDS.join(', ')}`)
        .argParser(parseServers)
        .default([...SERVER_KINDS], 'all'),
    )
    .addOption(
      new Option('--out <dir>', 'directory for the JSON and HTML reports').default(
        DEFAULT_OPTIONS.outDir,
        'bench/results',
      ),
    )
    .option('--cpu-prof', 'write a V8 CPU profile of each server process to <out>/profiles')
    .option('--workers <n>', 'subscriber worker processes', parseWorkers, DEFAULT_OPTIONS.workers)
    .option('--message-bytes <n>', 'message size (default 200)', parseBytes)
    .option('--clients <list>', 'only the levels with these C values, e.g. 5000 or 1000,10000', parseClients)
    .action(async (flags: BenchFlags) => {
      await runBench({
        ...DEFAULT_OPTIONS,
        quick: flags.quick === true,
        scenarios: flags.scenario,
        servers: flags.servers,
        outDir: flags.out,
        cpuProf: flags.cpuProf === true,
        workers: flags.workers,
        clients: flags.clients ?? [],
        ...(flags.messageBytes === undefined ? {} : { messageBytes: flags.messageBytes }),
      });
    });
}
