import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMoodleSim } from '../../adapters/testing/moodle-sim';
import { KeychainSecretStore } from '../core/secrets';
import { runCli, runCliAsync } from '../test-support/cli';
import { SCHOOL_CONFIG } from '../test-support/school-config';
import { useTempDirs } from '../test-support/temp';

// The built `classbridge` command against the simulator, as an IT person runs it weeks before term ends.
const tempDir = useTempDirs();

describe('classbridge doctor: results readiness per Open course', () => {
  it('names the course with a hidden graded item and the one without graded activities, each with its fix', async () => {
    const sim = await startMoodleSim();
    const dir = tempDir();
    const keychain = new KeychainSecretStore();
    try {
      const school = {
        ...SCHOOL_CONFIG,
        connections: [SCHOOL_CONFIG.connections[0], { ...SCHOOL_CONFIG.connections[1], url: sim.url }],
      };
      const file = join(dir, 'school.json');
      writeFileSync(file, JSON.stringify(school));
      const cli = (...args: string[]) => runCliAsync(['--data-dir', dir, ...args]);
      expect(runCli(['--data-dir', dir, 'config', 'import', file]).status).toBe(0);
      expect(runCli(['--data-dir', dir, 'secret', 'set', 'moodle-main', 'token'], { stdin: sim.token }).status).toBe(0);
      expect((await cli('sync', 'course-tracking')).status).toBe(0);
      expect((await cli('courses', 'open', '--all-new')).status).toBe(0);
      sim.resetCounters();

      const doctor = await cli('doctor');
      expect(doctor.stdout).toContain(
        'FAIL Results readiness: Mathematics 101 (Moodle (main)): "Final exam (hidden)" is hidden from students',
      );
      expect(doctor.stdout).toMatch(
        /FAIL Results readiness: History 201 \(Moodle \(main\)\): The gradebook has no graded activity/,
      );
      expect(doctor.stdout).toContain('fix: In the course gradebook (Grades › Gradebook setup) show the item');
      expect(doctor.stdout).toMatch(
        /FAIL Results readiness \(Moodle \(main\)\): 1 of 3 Open courses ready, 2 not ready/,
      );
      // One gradebook read per Open course (3), none per student; the connection test's capability probe is the fourth.
      expect(sim.requestCount('gradereport_user_get_grade_items')).toBe(1 + 3);
    } finally {
      await keychain.deleteAll('moodle-main');
      await sim.close();
    }
  });
});
