import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, startAndReadUrl } from '../electron/test-support/cli';
import { useTempDirs } from '../electron/test-support/temp';

const tempDir = useTempDirs();
const electronInstalled = existsSync(join(REPO_ROOT, 'node_modules/electron/path.txt'));

describe('npm start', () => {
  // Where Electron's binary exists, `npm start` opens the desktop app instead (the desktop-shell
  // issue adds a Playwright _electron test for that case).
  it.skipIf(electronInstalled)(
    'falls back to the headless host without an Electron binary, says so in one line, and prints the URL',
    async () => {
      const { host, before } = await startAndReadUrl(['scripts/start.mjs', '--data-dir', tempDir()]);
      try {
        expect(before).toEqual([
          expect.stringMatching(
            /^No Electron binary is installed on this machine, so ClassBridge runs as the headless host/,
          ),
        ]);
        const page = await fetch(host.url);
        expect(page.status).toBe(200);
      } finally {
        expect(await host.stop()).toBe(0);
      }
    },
  );
});
