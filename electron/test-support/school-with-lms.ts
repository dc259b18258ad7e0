import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { MoodleSim } from '../../adapters/testing/moodle-sim';
import { combinedCsv } from '../../adapters/testing/sms-fixtures/csv';
import { generateSchool, type SyntheticSchool } from '../../adapters/testing/sms-fixtures/school';
import { runCliAsync } from './cli';
import { SCHOOL_CONFIG } from './school-config';

/**
 * A school set up the way an IT person would, through the CLI: configuration pointing at the
 * simulator, the token in the keychain, and a CSV export imported as the snapshot. Async, because
 * the simulator runs in the test's own process.
 */
export async function setUpSchoolWithLms(
  dir: string,
  sim: MoodleSim,
  seed: number,
): Promise<{ dataDir: string; school: SyntheticSchool }> {
  const dataDir = join(dir, 'data');
  const config = {
    ...SCHOOL_CONFIG,
    connections: [SCHOOL_CONFIG.connections[0], { ...SCHOOL_CONFIG.connections[1], url: sim.url }],
  };
  writeFileSync(join(dir, 'school.json'), JSON.stringify(config));
  expect((await runCliAsync(['--data-dir', dataDir, 'config', 'import', join(dir, 'school.json')])).status).toBe(0);
  expect(
    (await runCliAsync(['--data-dir', dataDir, 'secret', 'set', 'moodle-main', 'token'], { stdin: sim.token })).status,
  ).toBe(0);
  const school = generateSchool({ seed });
  writeFileSync(join(dir, 'students.csv'), combinedCsv(school));
  expect(
    (await runCliAsync(['--data-dir', dataDir, 'import', '--provider', 'csv', join(dir, 'students.csv')])).status,
  ).toBe(0);
  return { dataDir, school };
}
