import { defineConfig, type ReporterDescription } from '@playwright/test';

/**
 * End-to-end tests drive the real UI served by the headless host (`classbridge serve`), one fresh host and
 * data folder per test (see e2e/fixtures/headless-host.ts), so there is no webServer entry here.
 * Run `npm run build` first: the host serves out/renderer.
 */

// CI passes `--reporter=list,json` with PLAYWRIGHT_JSON_OUTPUT_NAME; a local run just lists.
const reporter: ReporterDescription[] = process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']];

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  // Each test starts its own host and SQLite file; one at a time keeps a 2-core machine predictable.
  workers: 1,
  retries: 0,
  // Host start-up (up to 20 s) counts against the test's time.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter,
  outputDir: 'test-results/playwright-artifacts',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's chromium; never `playwright install` (no browser downloads on this machine).
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
});
