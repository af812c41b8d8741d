/** The `trendstream` command: one bin, one subcommand per job. */
import { Command } from 'commander';
import { registerServeCommand } from './serve-command.ts';
import { registerTokenCommand } from './token-command.ts';
import { registerWatchCommand } from './watch-command.ts';

const program = new Command('trendstream')
  .description('TrendStream: a real-time WebSocket hub with live feeds')
  .showHelpAfterError();
registerServeCommand(program);
registerTokenCommand(program);
registerWatchCommand(program);

await program.parseAsync(process.argv);
