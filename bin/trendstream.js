#!/usr/bin/env node
// Entry point of the `trendstream` command: the compiled CLI in dist/ (no TypeScript loader at run time).
// In a checkout, `npm run build` (or `npm start`) produces dist/ first.
import process from 'node:process';

try {
  await import('../dist/cli/main.js');
} catch (error) {
  const missing =
    error instanceof Error &&
    'code' in error &&
    error.code === 'ERR_MODULE_NOT_FOUND' &&
    error.message.includes('dist/cli/main.js');
  if (!missing) throw error;
  process.stderr.write('trendstream: dist/ is not built; in a checkout run `npm run build` first\n');
  process.exit(1);
}
