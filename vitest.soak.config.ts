/**
 * `npm run soak`: the long-running suites in test/soak (named *.soak.ts so `npm test` never picks them
 * up). One file at a time, with timeouts sized by the suites themselves (SOAK_DURATION_S).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.ts'],
    testTimeout: 60 * 60_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    reporters: ['default'],
  },
});
