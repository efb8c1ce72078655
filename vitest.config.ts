import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Servers bind loopback ports; files run in parallel, tests in a file run in order.
    pool: 'forks',
    // The web UI's tests drive the built UI: built here once, when stale, never by two files at once.
    globalSetup: ['./test/ui-global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
