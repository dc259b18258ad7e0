// `npm test`: every check CI runs, in order — typecheck, lint, build, unit + integration tests
// (vitest), end-to-end tests (Playwright in Debian's Chromium) — then one closing line
// "N passed, N failed, N skipped" summed over both runners, which CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const resultsDir = 'test-results';
mkdirSync(resultsDir, { recursive: true });
const node = process.execPath;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, args, env = {}) {
  const started = Date.now();
  console.log(`\n── ${label} ──`);
  const result = spawnSync(node, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) failures.push(label);
  console.log(`── ${label}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status})`} in ${seconds} s`);
  return result.status === 0;
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

run('typecheck', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
run('typecheck renderer', ['node_modules/typescript/bin/tsc', '-p', 'renderer/tsconfig.json', '--noEmit']);
run('lint', ['node_modules/eslint/bin/eslint.js', '.']);
run('format', ['node_modules/prettier/bin/prettier.cjs', '--check', '.']);
const built = run('build', ['scripts/build.mjs']);

const vitestJson = `${resultsDir}/vitest.json`;
run(
  'unit and integration tests',
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
  {
    CLASSBRIDGE_PREBUILT: built ? '1' : '0',
  },
);
const vitest = readJson(vitestJson);
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
}

const playwrightJson = `${resultsDir}/playwright.json`;
if (built) {
  run('end-to-end tests', ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  const playwright = readJson(playwrightJson);
  if (playwright) {
    totals.passed += playwright.stats.expected + playwright.stats.flaky;
    totals.failed += playwright.stats.unexpected;
    totals.skipped += playwright.stats.skipped;
  }
}

console.log('');
if (failures.length > 0) console.log(`Failed stages: ${failures.join(', ')}`);
if (failures.length > 0 && totals.failed === 0) totals.failed = failures.length; // a failed stage counts as a failure
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length > 0 ? 1 : 0);
