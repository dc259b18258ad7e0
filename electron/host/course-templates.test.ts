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

describe('classbridge with course template rules', () => {
  it('config import refuses a rule without a template id; the dry run names the template of the first new courses', () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    writeFileSync(join(dir, 'bad.json'), config({ courseTemplates: [{ field: 'code', matches: '^\\w' }] }));
    const refused = runCli(['--data-dir', dataDir, 'config', 'import', join(dir, 'bad.json')]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('connections[1].mapping.courseTemplates[0].templateCourseId');

    writeFileSync(
      join(dir, 'school.json'),
      config({ newCourseCategoryId: 9, courseTemplates: [{ field: 'code', matches: '^\\w', templateCourseId: 41 }] }),
    );
    expect(runCli(['--data-dir', dataDir, 'config', 'import', join(dir, 'school.json')]).status).toBe(0);
    writeFileSync(join(dir, 'students.csv'), combinedCsv(generateSchool({ seed: 31 })));
    expect(runCli(['--data-dir', dataDir, 'import', '--provider', 'csv', join(dir, 'students.csv')]).status).toBe(0);

    const preview = runCli(['--data-dir', dataDir, 'sync', 'upload', '--dry-run']);
    expect(preview.status, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('New courses copied from a template (first courses):');
    expect(preview.stdout).toMatch(/\) → copy of LMS course 41 \(rule 1: code matches \/\^\\w\/\)/);
  });
});
