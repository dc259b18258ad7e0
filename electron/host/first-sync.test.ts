import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshSiteSeed, startMoodleSim } from '../../adapters/testing/moodle-sim';
import { oneRosterFiles, zipBytes } from '../../adapters/testing/sms-fixtures/oneroster';
import { generateSchool } from '../../adapters/testing/sms-fixtures/school';
import { KeychainSecretStore } from '../core/secrets';
import { runCliAsync } from '../test-support/cli';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

// Issue 12 item 1, as seen on a fresh real Moodle 5.1: a OneRoster export, roleIds empty as
// docs/configuration.md shows, new courses with no participants to learn role ids from.
/** A OneRoster school configured against `url`, imported; returns a CLI bound to its data folder. */
async function schoolOn(url: string, token: string, dir: string) {
  const dataDir = join(dir, 'data');
  const school = generateSchool({ seed: 41, size: { students: 60, enrolmentsPerStudent: 3 } });
  writeFileSync(join(dir, 'roster.zip'), zipBytes(oneRosterFiles(school)));
  writeFileSync(
    join(dir, 'school.json'),
    JSON.stringify({
      format: 'classbridge-config',
      version: 1,
      connections: [
        { id: 'sis', kind: 'sms', provider: 'oneroster', name: 'SIS', options: {} },
        {
          id: 'moodle-main',
          kind: 'lms',
          provider: 'moodle',
          name: 'Moodle (main)',
          url,
          mapping: { roleIds: {}, newCourseCategoryId: 1 },
        },
      ],
    }),
  );
  const cli = (args: string[], stdin?: string) =>
    runCliAsync(['--data-dir', dataDir, ...args], stdin === undefined ? {} : { stdin });
  expect((await cli(['config', 'import', join(dir, 'school.json')])).status).toBe(0);
  expect((await cli(['secret', 'set', 'moodle-main', 'token'], token)).status).toBe(0);
  const imported = await cli(['import', join(dir, 'roster.zip')]);
  expect(imported.status, imported.stderr + imported.stdout).toBe(0);
  return { cli, dataDir };
}

describe('first sync on a new site', () => {
  it('enrols everyone into the new courses with no role ids configured, and keeps the ids it verified', async () => {
    const sim = await startMoodleSim({ seed: freshSiteSeed() });
    const keychain = new KeychainSecretStore();
    const dir = tempDir();
    try {
      const { cli, dataDir } = await schoolOn(sim.url, sim.token, dir);

      const upload = await cli(['sync', 'upload']);
      expect(upload.stdout).not.toMatch(/not known yet|was not found on this site/);
      expect(upload.status, upload.stdout).toBe(0);
      expect(upload.stdout).toMatch(/Moodle \(main\): ok/);

      // Every SMS enrolment is in Moodle, each with its role's real id on this site.
      const db = new Database(join(dataDir, 'classbridge.db'), { readonly: true });
      const expected = db
        .prepare('SELECT role, COUNT(*) AS n FROM enrolments WHERE active = 1 GROUP BY role ORDER BY role')
        .all() as { role: string; n: number }[];
      const roleOf = new Map([...sim.state.roles.values()].map((r) => [r.id, r.shortname]));
      const assigned = new Map<string, number>();
      for (const ra of sim.state.roleAssignments) {
        const name = roleOf.get(ra.roleid) ?? '?';
        assigned.set(name, (assigned.get(name) ?? 0) + 1);
      }
      expect(expected.map((e) => e.role)).toEqual(['student', 'teacher']);
      expect(Object.fromEntries(assigned)).toEqual({
        student: expected.find((e) => e.role === 'student')?.n,
        editingteacher: expected.find((e) => e.role === 'teacher')?.n,
      });
      expect(sim.state.userEnrolments.length).toBe(expected.reduce((n, e) => n + e.n, 0));

      // Kept per connection, so the next run does not search again.
      const kept = db.prepare('SELECT shortname, role_id, source FROM lms_roles ORDER BY shortname').all();
      db.close();
      expect(kept).toEqual([
        { shortname: 'editingteacher', role_id: 3, source: 'verified' },
        { shortname: 'student', role_id: 5, source: 'verified' },
      ]);
      sim.resetCounters();
      const doctor = await cli(['doctor']);
      expect(doctor.stdout).toMatch(
        /role ids: student 5 \(found on an earlier run\), editingteacher 3 \(found on an earlier run\)/,
      );
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  });

  it('a dry run warns which planned operations the token may not carry out, before any run fails', async () => {
    const sim = await startMoodleSim({
      seed: freshSiteSeed({
        capabilities: ['webservice/rest:use', 'moodle/course:view', 'moodle/category:viewhiddencategories'],
      }),
    });
    const keychain = new KeychainSecretStore();
    try {
      const { cli } = await schoolOn(sim.url, sim.token, tempDir());
      const preview = await cli(['sync', 'upload', '--dry-run']);
      expect(preview.status, preview.stderr).toBe(0);
      expect(preview.stdout).toMatch(
        /WARNING: \d+ user creations in this plan would fail: the token's role lacks moodle\/user:create/,
      );
      expect(preview.stdout).toMatch(/WARNING: \d+ course creations in this plan would fail: .*moodle\/course:create/);
      expect(preview.stdout).toMatch(/WARNING: \d+ enrolments in this plan would fail: .*enrol\/manual:enrol/);
      expect(preview.stdout).toContain('Dry run: nothing was changed.');
      expect(sim.state.users.size).toBe(3);
      expect(sim.state.courses.size).toBe(1);
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  });
});
