import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Prints one line per data source that is missing (its suites skip).
    globalSetup: ['test/global-setup.ts'],
    // Two cores: run files in parallel on both, each test file in its own fork.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
  },
});
