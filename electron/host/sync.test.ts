import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { generateSchool } from '../../adapters/testing/sms-fixtures/school';
import { startMoodleSim } from '../../adapters/testing/moodle-sim';
import { KeychainSecretStore } from '../core/secrets';
import { runCli, runCliAsync } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { setUpSchoolWithLms } from '../test-support/school-with-lms';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

describe('classbridge sync', () => {
  it('previews the next upload with --dry-run, and changes nothing', () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    writeFileSync(join(dir, 'school.json'), JSON.stringify(SCHOOL_CONFIG));
    expect(runCli(['--data-dir', dataDir, 'config', 'import', join(dir, 'school.json')]).status).toBe(0);
    const school = generateSchool({ seed: 31 });
    writeFileSync(join(dir, 'students.csv'), combinedCsv(school));
    expect(runCli(['--data-dir', dataDir, 'import', '--provider', 'csv', join(dir, 'students.csv')]).status).toBe(0);

    const preview = runCli(['--data-dir', dataDir, 'sync', 'upload', '--dry-run']);
    expect(preview.status, preview.stderr).toBe(0);
    // The CSV export names teachers but gives them no username: they are planning errors with a fix,
    // not guesses, and the students are planned.
    const teachers = new Set(school.classes.map((c) => c.teacherId)).size;
    expect(preview.stdout).toContain(`Moodle (main): Will create ${school.students.length} users.`);
    expect(preview.stdout).toContain(`${teachers} records cannot be synced until fixed`);
    expect(preview.stdout).toContain('has no username in the SMS');
    expect(preview.stdout).toContain('Dry run: nothing was changed.');

    const json = JSON.parse(runCli(['--data-dir', dataDir, '--json', 'sync', 'upload', '--dry-run']).stdout) as {
      counts: { createUsers: number };
      removals: { held: boolean };
    }[];
    expect(json[0]?.counts.createUsers).toBe(school.students.length);
    expect(json[0]?.removals.held).toBe(false);
  });

  it('uploads to the LMS for real, and a second run changes nothing', async () => {
    const sim = await startMoodleSim();
    const keychain = new KeychainSecretStore();
    const dir = tempDir();
    try {
      const { dataDir, school } = await setUpSchoolWithLms(dir, sim, 32);

      const first = await runCliAsync(['--data-dir', dataDir, 'sync', 'upload']);
      const firstOutcome = /Moodle \(main\): (ok|partial)/.exec(first.stdout)?.[1];
      expect(firstOutcome, first.stdout).toBeDefined();
      // A script must notice records left unsynced: a partial run exits 1 and says where to look.
      expect(first.status, first.stderr).toBe(firstOutcome === 'ok' ? 0 : 1);
      if (firstOutcome === 'partial') expect(first.stdout).toMatch(/classbridge errors list/);
      const usernames = [...sim.state.users.values()].map((u) => u.username);
      for (const s of school.students) expect(usernames).toContain(s.username);
      const creates = sim.requestCount('core_user_create_users');

      const second = await runCliAsync(['--data-dir', dataDir, 'sync', 'upload']);
      expect(second.status, second.stderr).toBe(/Moodle \(main\): ok/.test(second.stdout) ? 0 : 1);
      expect(sim.requestCount('core_user_create_users')).toBe(creates);
      expect(sim.requestCount('core_user_update_users')).toBe(0);
      const status = JSON.parse((await runCliAsync(['--data-dir', dataDir, '--json', 'status'])).stdout) as {
        lms: { parts: { part: string; lastRun: { outcome: string } | null }[] }[];
      };
      expect(status.lms[0]?.parts.find((p) => p.part === 'upload')?.lastRun?.outcome).toMatch(/ok|partial/);

      const tracked = await runCliAsync(['--data-dir', dataDir, 'sync', 'course-tracking']);
      expect(tracked.status, tracked.stderr).toBe(0);
      expect(tracked.stdout).toMatch(/Moodle \(main\): ok — \d+ courses in the LMS: \d+ new/);
      const download = await runCliAsync(['--data-dir', dataDir, 'sync', 'download']);
      expect(download.status, download.stderr).toBe(0);
      expect(download.stdout).toContain('results.csv');

      // Reconcile reads the LMS back: a user's email changed by hand there is put back.
      const user = [...sim.state.users.values()].find((u) => u.username === school.students[0]?.username);
      const email = user!.email;
      user!.email = 'changed-by-hand@example.invalid';
      const reconciled = await runCliAsync(['--data-dir', dataDir, 'sync', 'reconcile']);
      expect(reconciled.status, reconciled.stderr).toBe(0);
      expect(reconciled.stdout).toMatch(
        /Moodle \(main\): ok — Reconcile: checked \d+ users.*1 had been changed or removed there/,
      );
      // (The simulator replaces its collections on a write: read the user afresh.)
      expect([...sim.state.users.values()].find((u) => u.id === user!.id)?.email).toBe(email);
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  });

  it('says the actual cause of a failed run, as diagnosed, not every possible cause', async () => {
    const sim = await startMoodleSim();
    const keychain = new KeychainSecretStore();
    const dir = tempDir();
    try {
      const { dataDir } = await setUpSchoolWithLms(dir, sim, 33);
      // The service lost the one function an upload starts with; the site still answers get_site_info.
      sim.revokeFunction(sim.token, 'core_user_create_users');
      const failed = await runCliAsync(['--data-dir', dataDir, 'sync', 'upload']);
      expect(failed.status).toBe(1);
      expect(failed.stdout).toMatch(/Moodle \(main\): failed — .*the ClassBridge service lacks core_user_create_users/);
      expect(failed.stdout).toMatch(/fix: In .*External services.*add: core_user_create_users/);
      const json = JSON.parse((await runCliAsync(['--data-dir', dataDir, '--json', 'sync', 'upload'])).stdout) as {
        outcome: string;
        cause?: { summary: string; fix: string };
      }[];
      expect(json[0]?.cause?.summary).toContain('lacks core_user_create_users');
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  });

  it('refuses unknown parts and a dry run of anything but an upload (exit 2); no LMS is a failure (exit 1)', () => {
    const dataDir = tempDir();
    expect(runCli(['--data-dir', dataDir, 'sync', 'download', '--dry-run']).status).toBe(2);
    expect(runCli(['--data-dir', dataDir, 'sync', 'everything']).status).toBe(2);
    expect(runCli(['--data-dir', dataDir, 'sync', 'upload']).status).toBe(1); // no LMS configured
  });
});
