// Fetches Electron's binary where this machine can reach Electron's release host.
//
// Why this exists: electron's own postinstall downloads a zip from GitHub and fails the whole
// `npm ci` when that host is unreachable (as on our build machines, which reach only the npm
// registry). package.json's `allowScripts` denies that postinstall (npm >= 11.19), and this script,
// our own postinstall, runs the same download but never fails the install: without a binary,
// `npm start` falls back to the headless host. Older npm versions ignore `allowScripts` and run
// electron's postinstall as usual, which works wherever the download does.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const verbose = process.argv.includes('--verbose');
const electronDir = join(process.cwd(), 'node_modules', 'electron');
const installer = join(electronDir, 'install.js');

if (process.env.CLASSBRIDGE_SKIP_ELECTRON === '1') {
  console.log('classbridge: CLASSBRIDGE_SKIP_ELECTRON=1, not fetching the Electron binary.');
  process.exit(0);
}
if (!existsSync(installer)) {
  // Production installs (npm ci --omit=dev) have no electron package: nothing to fetch.
  process.exit(0);
}
const result = spawnSync(process.execPath, [installer], {
  cwd: electronDir,
  stdio: verbose ? 'inherit' : ['ignore', 'ignore', 'pipe'],
  timeout: 10 * 60 * 1000,
  encoding: 'utf8',
});
if (result.status === 0) {
  console.log('classbridge: Electron binary is installed; `npm start` opens the desktop app.');
} else {
  const reason = (result.stderr ?? '').split('\n').find((l) => /ENOTFOUND|ECONN|ETIMEDOUT|Error/.test(l));
  console.log(
    'classbridge: Electron binary could not be downloaded' +
      (reason ? ` (${reason.trim().slice(0, 160)})` : '') +
      '; `npm start` will run the headless host instead. Run `npm run fetch-electron` on a machine with internet access to retry.',
  );
}
