import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/live/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start real brokers, hubs and capture sessions: run files one at a time
    // so that two suites never race for the same namespace, port or LevelDB lock.
    fileParallelism: false,
    pool: 'forks',
  },
});
