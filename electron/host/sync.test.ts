import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { generateSchool } from '../../adapters/testing/sms-fixtures/school';
import { runCli } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
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

  it('says plainly that applying is not available yet (exit 1), and refuses unknown parts (exit 2)', () => {
    const dataDir = tempDir();
    const apply = runCli(['--data-dir', dataDir, 'sync', 'upload']);
    expect(apply.status).toBe(1);
    expect(apply.stderr).toContain('not available in this version yet');
    expect(runCli(['--data-dir', dataDir, 'sync', 'download', '--dry-run']).status).toBe(1);
    expect(runCli(['--data-dir', dataDir, 'sync', 'everything']).status).toBe(2);
  });
});
