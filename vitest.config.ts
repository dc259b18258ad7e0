import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'adapters/**/*.test.ts', 'renderer/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Separate processes: native modules (SQLite, keychain) and tests that change the environment
    // (the no-keychain test) must not share one process.
    pool: 'forks',
    globalSetup: ['electron/test-support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
