/**
 * Runs the benchmark without the `trendstream` bin: `npx tsx bench/cli.ts [--quick] [--servers …]`.
 * Same flags as `trendstream bench` (src/cli/bench-command.ts).
 */
import { Command } from 'commander';
import { registerBenchCommand } from '../src/cli/bench-command.ts';

const program = new Command('bench-cli');
registerBenchCommand(program);
await program.parseAsync(['bench', ...process.argv.slice(2)], { from: 'user' });
