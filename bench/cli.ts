/**
 * The benchmark's entry: `npm run bench -- [--quick] [--servers …]` runs this through tsx.
 * The bench is a development tool (it drives Socket.IO and raw `ws` baselines), so it is not part of
 * the `trendstream` command users install.
 */
import { benchProgram } from './bench-command.ts';

await benchProgram().parseAsync(process.argv);
