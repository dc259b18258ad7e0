import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { generateSchool } from '../../adapters/testing/sms-fixtures/school';
import { runCli } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { useTempDirs } from '../test-support/temp';

const tempDir = useTempDirs();

function config(mapping: Record<string, unknown>) {
  const c = structuredClone(SCHOOL_CONFIG) as { connections: Record<string, unknown>[] };
  c.connections[1] = { ...c.connections[1], mapping };
  return JSON.stringify(c);
}

describe('classbridge with course category rules', () => {
  it('config import refuses a bad rule naming it; the dry run shows where the first new courses go and why', () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    writeFileSync(
      join(dir, 'bad.json'),
      config({ courseCategories: [{ field: 'semester', equals: 'x', categoryId: 6 }] }),
    );
    const refused = runCli(['--data-dir', dataDir, 'config', 'import', join(dir, 'bad.json')]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(
      'connections[1].mapping.courseCategories[0].field: Unknown course field "semester". The fields are: code, name, smsId, startDate, endDate, year, term, subject.',
    );

    writeFileSync(
      join(dir, 'school.json'),
      config({ newCourseCategoryId: 9, courseCategories: [{ field: 'code', matches: '^\\w', categoryId: 6 }] }),
    );
    expect(runCli(['--data-dir', dataDir, 'config', 'import', join(dir, 'school.json')]).status).toBe(0);
    writeFileSync(join(dir, 'students.csv'), combinedCsv(generateSchool({ seed: 31 })));
    expect(runCli(['--data-dir', dataDir, 'import', '--provider', 'csv', join(dir, 'students.csv')]).status).toBe(0);

    const preview = runCli(['--data-dir', dataDir, 'sync', 'upload', '--dry-run']);
    expect(preview.status, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('Categories for new courses (first courses):');
    expect(preview.stdout).toMatch(/\) → category 6 \(rule 1: code matches \/\^\\w\/\)/);
  });
});
