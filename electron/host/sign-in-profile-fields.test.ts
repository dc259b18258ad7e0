// The sign-in method and profile fields through the real `classbridge` command: config import refuses an
// unknown LMS field by name, the dry run shows the sign-in method and the fields of the first people and
// lists the SMS fields when one is misnamed, and the upload sends them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMoodleSim } from '../../adapters/testing/moodle-sim';
import { runCliAsync } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { setUpSchoolWithLms } from '../test-support/school-with-lms';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

describe('classbridge with a sign-in method and profile fields', () => {
  it('validates, previews and uploads them', async () => {
    const sim = await startMoodleSim();
    sim.state.site.profileFields = [{ shortname: 'nsn', name: 'NSN', datatype: 'text' }];
    try {
      const dir = tempDir();
      const { dataDir, school } = await setUpSchoolWithLms(dir, sim, 72);
      const cli = (...args: string[]) => runCliAsync(['--data-dir', dataDir, ...args]);
      const withMapping = (mapping: object) => {
        const config = {
          ...SCHOOL_CONFIG,
          connections: [SCHOOL_CONFIG.connections[0], { ...SCHOOL_CONFIG.connections[1], url: sim.url, mapping }],
        };
        const file = join(dir, `school-${Math.random().toString(36).slice(2)}.json`);
        writeFileSync(file, JSON.stringify(config));
        return cli('config', 'import', file);
      };

      const refused = await withMapping({ profileFields: { house: 'house' } });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('"house" is not a Moodle user field');

      expect((await withMapping({ profileFields: { profile_field_nsn: 'nsn', department: 'yearlevel' } })).status).toBe(
        0,
      );
      const typo = await cli('sync', 'upload', '--dry-run');
      expect(typo.stdout).toContain('The SMS field "yearlevel" mapped to the LMS field department');
      expect(typo.stdout).toContain('The SMS gives: nsn, yearLevel.');

      const mapping = {
        signIn: { auth: 'oauth2', emailPassword: true },
        profileFields: { profile_field_nsn: 'nsn', department: 'yearLevel' },
      };
      expect((await withMapping(mapping)).status).toBe(0);
      const dryRun = await cli('sync', 'upload', '--dry-run');
      expect(dryRun.stdout).toContain('New accounts sign in with: oauth2');
      expect(dryRun.stdout).toMatch(/\(\S+\) → profile_field_nsn \d+, department \d+/);

      const run = await cli('sync', 'upload');
      // Three staff of this fixture have no username in the SMS: partial, whatever the mapping.
      expect(run.stdout).toContain('30 created');
      const student = school.students.find((s) => s.active && s.nationalId)!;
      const user = [...sim.state.users.values()].find((u) => u.idnumber === student.id)!;
      expect(user).toMatchObject({
        auth: 'oauth2',
        department: String(student.yearLevel),
        customfields: { nsn: student.nationalId },
      });
    } finally {
      await sim.close();
    }
  });
});
