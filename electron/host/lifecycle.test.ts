// The rollover pause through the real `classbridge` command: the dry run says removals are held and
// why, the upload holds the one leaver while the rest goes through, and `held list` shows the reason.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMoodleSim } from '../../adapters/testing/moodle-sim';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { runCliAsync } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { setUpSchoolWithLms } from '../test-support/school-with-lms';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('classbridge and the rollover pause', () => {
  it('the dry run and the upload name the pause; one leaver is held, below every limit', async () => {
    const sim = await startMoodleSim();
    try {
      const dir = tempDir();
      const { dataDir, school } = await setUpSchoolWithLms(dir, sim, 71);
      const cli = (...args: string[]) => runCliAsync(['--data-dir', dataDir, ...args]);
      await cli('sync', 'upload');

      // A pause around today (UTC, the configuration's time zone), set in the configuration file.
      const until = isoDay(30);
      const config = {
        ...SCHOOL_CONFIG,
        connections: [
          SCHOOL_CONFIG.connections[0],
          {
            ...SCHOOL_CONFIG.connections[1],
            url: sim.url,
            mapping: { lifecycle: { rolloverPause: { windows: [{ from: isoDay(-2), until }] } } },
          },
        ],
      };
      writeFileSync(join(dir, 'school.json'), JSON.stringify(config));
      expect((await cli('config', 'import', join(dir, 'school.json'))).status).toBe(0);

      // One student leaves: gone from the export.
      const leaver = school.students.find((s) => s.active)!;
      school.students = school.students.filter((s) => s !== leaver);
      school.enrolments = school.enrolments.filter((e) => e.studentId !== leaver.id);
      writeFileSync(join(dir, 'students.csv'), combinedCsv(school));
      expect((await cli('import', '--provider', 'csv', join(dir, 'students.csv'))).status).toBe(0);

      const dryRun = await cli('sync', 'upload', '--dry-run');
      expect(dryRun.stdout).toContain(`Removals held: rollover pause until ${until}.`);
      expect(dryRun.stdout).toContain(
        `HELD for approval: Removals held: rollover pause until ${until} — this upload would suspend 1 person`,
      );

      const run = await cli('sync', 'upload');
      expect(run.stdout + run.stderr).toContain(`Removals held: rollover pause until ${until}`);
      const lmsUser = [...sim.state.users.values()].find((u) => u.idnumber === leaver.id && !u.deleted);
      expect(lmsUser?.suspended).toBeFalsy();
      const held = await cli('held', 'list');
      expect(held.stdout).toContain(`rollover pause until ${until}`);

      // A window ending before it starts is refused, naming the field.
      const bad = structuredClone(config);
      (bad.connections[1] as { mapping: unknown }).mapping = {
        lifecycle: { rolloverPause: { windows: [{ from: '2027-02-01', until: '2027-01-10' }] } },
      };
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
      const refused = await cli('config', 'import', join(dir, 'bad.json'));
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('until');
      expect(refused.stderr).toContain('before it starts');
    } finally {
      await sim.close();
    }
  });
});
