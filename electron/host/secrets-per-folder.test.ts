import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMoodleSim, type MoodleSim } from '../../adapters/testing/moodle-sim';
import { databaseFile } from '../core/paths/data-dir';
import { KeychainSecretStore, secretsFolderOf } from '../core/secrets';
import { openStore } from '../core/store/store';
import { runCliAsync } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

/** A data folder whose connection "moodle-main" points at this simulator, with this token set by the CLI. */
async function folderFor(sim: MoodleSim, token: string): Promise<string> {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const config = {
    ...SCHOOL_CONFIG,
    connections: [SCHOOL_CONFIG.connections[0], { ...SCHOOL_CONFIG.connections[1], url: sim.url }],
  };
  writeFileSync(join(dir, 'school.json'), JSON.stringify(config));
  expect((await runCliAsync(['--data-dir', dataDir, 'config', 'import', join(dir, 'school.json')])).status).toBe(0);
  const set = await runCliAsync(['--data-dir', dataDir, 'secret', 'set', 'moodle-main', 'token'], {
    stdin: token,
  });
  expect(set.status, set.stderr).toBe(0);
  return dataDir;
}

/** Removes a data folder's secrets the way the app does (its own keychain entries). */
async function forgetSecrets(dataDir: string): Promise<void> {
  const store = openStore({ file: databaseFile(dataDir) });
  try {
    await new KeychainSecretStore(undefined, secretsFolderOf(store)).deleteAll('moodle-main');
  } finally {
    store.close();
  }
}

describe('two data folders on one computer', () => {
  it('keep their own token for the same connection id', async () => {
    const first = await startMoodleSim();
    const second = await startMoodleSim();
    const folders: string[] = [];
    try {
      // Each site knows only its own token.
      const secondToken = second.createToken();
      folders.push(await folderFor(first, first.token));
      // The second folder (a test copy of the school, another school on the server) sets its own
      // token for "moodle-main": the first folder's token must not change.
      folders.push(await folderFor(second, secondToken));
      for (const dataDir of folders) {
        const doctor = await runCliAsync(['--data-dir', dataDir, 'doctor']);
        expect(doctor.stdout, dataDir).toMatch(/ok {3}LMS Moodle \(main\): ClassBridge Test School/);
      }
    } finally {
      for (const dataDir of folders) await forgetSecrets(dataDir);
      await first.close();
      await second.close();
    }
  }, 60_000);
});
