#!/usr/bin/env node
// Regenerates docs/screenshots/<route>.png for every page of the app (see e2e/screenshots.spec.ts): a fresh
// headless host, a simulated Moodle and a generated school with an upload, a download and a reconcile done.
// Run through `npm run screenshots` (it builds first and provides the keychain the host needs).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('npx', ['playwright', 'test', 'e2e/screenshots.spec.ts', '--reporter=list'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CLASSBRIDGE_SCREENSHOTS: '1' },
});
if (result.error) throw result.error;
if (result.status === 0) console.log('Screenshots saved in docs/screenshots/.');
process.exit(result.status ?? 1);
