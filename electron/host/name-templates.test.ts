import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { generateSchool } from '../../adapters/testing/sms-fixtures/school';
import { runCli } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

function config(mapping: Record<string, string>) {
  const c = structuredClone(SCHOOL_CONFIG) as { connections: Record<string, unknown>[] };
  c.connections[1] = { ...c.connections[1], mapping };
  return JSON.stringify(c);
}

describe('classbridge with name templates', () => {
  it('config import refuses a bad template (exit 2, naming the field); the dry run shows the names on the first records', () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    writeFileSync(join(dir, 'bad.json'), config({ usernameTemplate: '{first}.{last' }));
    const refused = runCli(['--data-dir', dataDir, 'config', 'import', join(dir, 'bad.json')]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(
      'connections[1].mapping.usernameTemplate: "{" at position 9 is not closed with "}".',
    );

    writeFileSync(
      join(dir, 'school.json'),
      config({
        usernameTemplate: '{first|alnum}.{last|alnum}{n}',
        emailTemplate: '{first|alnum}.{last|alnum}{n}@school.nz',
      }),
    );
    expect(runCli(['--data-dir', dataDir, 'config', 'import', join(dir, 'school.json')]).status).toBe(0);
    const school = generateSchool({ seed: 31 });
    writeFileSync(join(dir, 'students.csv'), combinedCsv(school));
    expect(runCli(['--data-dir', dataDir, 'import', '--provider', 'csv', join(dir, 'students.csv')]).status).toBe(0);

    const preview = runCli(['--data-dir', dataDir, 'sync', 'upload', '--dry-run']);
    expect(preview.status, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('Names from the templates (first records):');
    expect(preview.stdout).toMatch(/\) → username [a-z0-9]+\.[a-z0-9]+\d*, email [a-z0-9]+\.[a-z0-9]+\d*@school\.nz/);
    // The templates do not need the SMS username the CSV lacks for teachers: everyone is planned.
    expect(preview.stdout).not.toContain('has no username in the SMS');
  });
});
