// Leave-alone marks through the real `classbridge` command: marked, listed, shown in the dry run, kept
// by the upload (a changed SMS record is not sent), then lifted and sent.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMoodleSim } from '../../adapters/testing/moodle-sim';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { runCliAsync } from '../test-support/cli';
import { setUpSchoolWithLms } from '../test-support/school-with-lms';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

describe('classbridge leave-alone', () => {
  it('add, list, the dry run says it, the upload keeps away from it; remove, and the change is sent', async () => {
    const sim = await startMoodleSim();
    try {
      const dir = tempDir();
      const { dataDir, school } = await setUpSchoolWithLms(dir, sim, 62);
      const cli = (...args: string[]) => runCliAsync(['--data-dir', dataDir, ...args]);
      // (Partial: the school's courses are not in this LMS, so their enrolments wait; its users are made.)
      await cli('sync', 'upload');
      const [kept, other] = school.students.filter((s) => s.active);
      const lmsUser = (id: string) => [...sim.state.users.values()].find((u) => u.idnumber === id && !u.deleted)!;
      expect(lmsUser(kept!.id).lastname).toBe(kept!.familyName);

      const empty = await cli('leave-alone', 'list');
      expect(empty.stdout).toContain('Nothing is left alone');
      const added = await cli('leave-alone', 'add', 'person', kept!.id, '--note', 'Account kept by hand');
      expect(added.status, added.stderr).toBe(0);
      expect(added.stdout).toContain(`ClassBridge leaves the person ${kept!.givenName} ${kept!.familyName}`);
      const listed = await cli('leave-alone', 'list');
      expect(listed.stdout).toMatch(new RegExp(`moodle-main\\s+person\\s+${kept!.id}\\s+.* — Account kept by hand`));
      const json = JSON.parse((await cli('--json', 'leave-alone', 'list')).stdout) as { smsId: string; kind: string }[];
      expect(json).toMatchObject([{ smsId: kept!.id, kind: 'person' }]);

      // Both change their family name in the SMS.
      kept!.familyName = 'Renamed-Kept';
      other!.familyName = 'Renamed-Other';
      writeFileSync(join(dir, 'students.csv'), combinedCsv(school));
      expect((await cli('import', '--provider', 'csv', join(dir, 'students.csv'))).status).toBe(0);

      const dryRun = await cli('sync', 'upload', '--dry-run');
      expect(dryRun.stdout).toContain('Will update 1 user.');
      expect(dryRun.stdout).toContain('Left alone, as you asked: 1 person — 1 change not sent.');
      const second = await cli('sync', 'upload');
      expect(lmsUser(other!.id).lastname, second.stdout + second.stderr).toBe('Renamed-Other');
      expect(lmsUser(kept!.id).lastname).not.toBe('Renamed-Kept');

      // Mistakes are failed commands that say what to type.
      const badKind = await cli('leave-alone', 'add', 'group', 'G1');
      expect(badKind.status).not.toBe(0);
      expect(badKind.stderr).toContain('neither person nor course');
      const badConnection = await cli('leave-alone', 'add', 'person', kept!.id, '--connection', 'nope');
      expect(badConnection.status).toBe(1);
      expect(badConnection.stderr).toContain('There is no LMS connection "nope". LMS connections: moodle-main.');

      const removed = await cli('leave-alone', 'remove', 'person', kept!.id);
      expect(removed.stdout).toContain('is no longer left alone');
      expect((await cli('leave-alone', 'remove', 'person', kept!.id)).stdout).toContain('nothing changed');
      await cli('sync', 'upload');
      expect(lmsUser(kept!.id).lastname).toBe('Renamed-Kept');
    } finally {
      await sim.close();
    }
  });
});
