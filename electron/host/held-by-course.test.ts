import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMoodleSim, type MoodleSim } from '../../adapters/testing/moodle-sim';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { generateSchool, type SyntheticSchool } from '../../adapters/testing/sms-fixtures/school';
import { KeychainSecretStore } from '../core/secrets';
import { runCliAsync } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { useTempDirs } from '../test-support/temp';

// The per-course safety rail through the built `classbridge` command and the Moodle simulator: a class
// that vanishes from the export is held, and `held show` lists the removals by course.
const tempDir = useTempDirs();
const CONNECTION = 'moodle-main';

/** The export without its teacher columns (the fixture's teachers have no usernames: errors on every upload). */
function csvWithoutTeachers(school: SyntheticSchool): string {
  const lines = combinedCsv(school).split('\r\n');
  lines[0] = (lines[0] ?? '').replace('Teacher Code,Teacher First Name,Teacher Surname', 'Note A,Note B,Note C');
  return lines.join('\r\n');
}

let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await new KeychainSecretStore().deleteAll(CONNECTION);
  await sim.close();
});

describe('classbridge held show, per course', () => {
  it('holds a class that vanished from the export and lists its students under the course', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const cli = (...args: string[]) => runCliAsync(['--data-dir', dataDir, ...args]);
    const config = {
      ...SCHOOL_CONFIG,
      connections: [
        SCHOOL_CONFIG.connections[0],
        {
          ...SCHOOL_CONFIG.connections[1],
          url: sim.url,
          mapping: { newCourseCategoryId: 1, roleIds: { student: 5, editingteacher: 3 } },
        },
      ],
    };
    writeFileSync(join(dir, 'school.json'), JSON.stringify(config));
    expect((await cli('config', 'import', join(dir, 'school.json'))).status).toBe(0);
    expect(
      (await runCliAsync(['--data-dir', dataDir, 'secret', 'set', CONNECTION, 'token'], { stdin: sim.token })).status,
    ).toBe(0);
    const importSchool = async (version: SyntheticSchool) => {
      writeFileSync(join(dir, 'export.csv'), csvWithoutTeachers(version));
      const imported = await cli('import', '--provider', 'csv', join(dir, 'export.csv'));
      expect(imported.status, imported.stderr).toBe(0);
    };
    const school = generateSchool({ seed: 7 });
    await importSchool(school);
    const first = await cli('sync', 'upload');
    expect(first.status, first.stdout + first.stderr).toBe(0);

    // The largest class is gone from the next export; its students are still in their other classes.
    const sizes = new Map<string, number>();
    for (const e of school.enrolments) sizes.set(e.courseId, (sizes.get(e.courseId) ?? 0) + 1);
    const [courseId, size] = [...sizes].sort((a, b) => b[1] - a[1])[0]!;
    expect(size).toBeGreaterThanOrEqual(5);
    const course = school.courses.find((c) => c.id === courseId)!;
    const students = school.enrolments
      .filter((e) => e.courseId === courseId)
      .map((e) => school.students.find((s) => s.id === e.studentId)!);
    await importSchool({ ...school, enrolments: school.enrolments.filter((e) => e.courseId !== courseId) });

    const held = await cli('sync', 'upload');
    expect(held.status, held.stdout + held.stderr).toBe(1);
    const label = `${course.name} (${course.code})`;
    expect(held.stdout, held.stderr).toContain(
      `held — This upload would take more than half of the students out of a course — ${label}: ${size} of ${size} students.`,
    );
    const [plan] = JSON.parse((await cli('--json', 'held', 'list')).stdout) as { id: number }[];

    const shown = await cli('held', 'show', String(plan!.id));
    expect(shown.status, shown.stderr).toBe(0);
    const lines = shown.stdout.split('\n');
    const heading = lines.indexOf('By course:');
    expect(heading).toBeGreaterThan(0);
    expect(lines[heading + 1]).toBe(`  ${label}: ${size} of ${size} students — more than the per-course limit`);
    const names = lines.slice(heading + 2, heading + 2 + size);
    expect(names).toEqual(
      students.map((s) => `    ${s.givenName} ${s.familyName} (${s.username})`).sort((a, b) => a.localeCompare(b)),
    );
    // Nothing was suspended while it waits.
    const suspended = sim.state.userEnrolments.filter((ue) => ue.status !== 0);
    expect(suspended).toEqual([]);
  });
});
