/**
 * The `trendstream` command run from its TypeScript sources (through tsx), so the suite needs no build.
 * The compiled bin, as users install it, is covered by test/package/pack.test.ts.
 */
import { fileURLToPath } from 'node:url';

const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** `spawn(process.execPath, [...CLI_ARGS, 'serve', ...])` runs `trendstream serve ...`. */
export const CLI_ARGS: readonly string[] = ['--import', 'tsx', CLI_MAIN];
