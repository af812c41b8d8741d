import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Suites start real servers, Redis and Chromium: keep the 2-core machine from thrashing.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
