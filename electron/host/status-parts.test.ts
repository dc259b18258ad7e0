import { describe, expect, it } from 'vitest';
import { startMoodleSim } from '../../adapters/testing/moodle-sim';
import type { Status } from '../core/contract/contract';
import { databaseFile } from '../core/paths/data-dir';
import { KeychainSecretStore, secretsFolderOf } from '../core/secrets';
import { openStore } from '../core/store/store';
import { runCliAsync } from '../test-support/cli';
import { setUpSchoolWithLms } from '../test-support/school-with-lms';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

describe('classbridge status after an upload', () => {
  it('shows Profiles and Courses as run by the upload that ran them, not as never run', async () => {
    const sim = await startMoodleSim();
    const dir = tempDir();
    let dataDir: string | undefined;
    try {
      ({ dataDir } = await setUpSchoolWithLms(dir, sim, 71));
      const before = JSON.parse((await runCliAsync(['--data-dir', dataDir, '--json', 'status'])).stdout) as Status;
      const partsBefore = before.lms[0]?.parts ?? [];
      expect(partsBefore.find((p) => p.part === 'profiles')?.health).toBe('never-run');

      const upload = await runCliAsync(['--data-dir', dataDir, 'sync', 'upload']);
      expect(upload.stdout).toMatch(/Moodle \(main\): (ok|partial)/);
      expect(sim.state.users.size).toBeGreaterThan(0);

      const status = JSON.parse((await runCliAsync(['--data-dir', dataDir, '--json', 'status'])).stdout) as Status;
      const parts = status.lms[0]?.parts ?? [];
      const enrolments = parts.find((p) => p.part === 'enrolments');
      expect(enrolments?.lastRun).not.toBeNull();
      for (const part of ['profiles', 'courses'] as const) {
        const shown = parts.find((p) => p.part === part);
        expect(shown?.health, part).not.toBe('never-run');
        expect(shown?.health, part).toBe(enrolments?.health);
        // The run shown is the upload itself (one run applied users, courses and enrolments).
        expect(shown?.lastRun?.id, part).toBe(enrolments?.lastRun?.id);
      }
      // Parts the upload does not run stay as they were.
      expect(parts.find((p) => p.part === 'results')?.health).toBe('never-run');

      const human = await runCliAsync(['--data-dir', dataDir, 'status']);
      expect(human.status).toBe(0);
      expect(human.stdout).not.toMatch(/Profiles +never run/);
      expect(human.stdout).not.toMatch(/Courses +never run/);
      expect(human.stdout).toMatch(/Profiles +.*last run .* by the upload/);
      expect(human.stdout).toMatch(/Courses +.*last run .* by the upload/);
      expect(human.stdout).toMatch(/Results +never run/);
    } finally {
      if (dataDir) {
        const store = openStore({ file: databaseFile(dataDir) });
        await new KeychainSecretStore(undefined, secretsFolderOf(store)).deleteAll('moodle-main');
        store.close();
      }
      await sim.close();
    }
  }, 60_000);
});
