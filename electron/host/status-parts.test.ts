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
  it('shows the upload as one part, run by `sync upload`, with no Profiles or Courses part left that says never run', async () => {
    const sim = await startMoodleSim();
    const dir = tempDir();
    let dataDir: string | undefined;
    try {
      ({ dataDir } = await setUpSchoolWithLms(dir, sim, 71));
      const before = JSON.parse((await runCliAsync(['--data-dir', dataDir, '--json', 'status'])).stdout) as Status;
      const partsBefore = before.lms[0]?.parts ?? [];
      expect(partsBefore.map((p) => p.part)).toEqual(['upload', 'results', 'course-tracking', 'reconcile']);
      expect(partsBefore.find((p) => p.part === 'upload')?.health).toBe('never-run');

      const upload = await runCliAsync(['--data-dir', dataDir, 'sync', 'upload']);
      expect(upload.stdout).toMatch(/Moodle \(main\): (ok|partial)/);
      expect(sim.state.users.size).toBeGreaterThan(0);

      const status = JSON.parse((await runCliAsync(['--data-dir', dataDir, '--json', 'status'])).stdout) as Status;
      const parts = status.lms[0]?.parts ?? [];
      const shown = parts.find((p) => p.part === 'upload');
      expect(shown?.health).not.toBe('never-run');
      // One run applied users, courses and enrolments, recorded as the upload.
      expect(shown?.lastRun?.part).toBe('upload');
      expect(shown?.lastRun?.counts.created).toBeGreaterThan(0);
      // Parts the upload does not run stay as they were.
      expect(parts.find((p) => p.part === 'results')?.health).toBe('never-run');

      const human = await runCliAsync(['--data-dir', dataDir, 'status']);
      expect(human.status).toBe(0);
      expect(human.stdout).toMatch(/Upload +.*last run /);
      expect(human.stdout).not.toMatch(/Upload +never run/);
      expect(human.stdout).not.toMatch(/Profiles|Enrolments +/);
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
