import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { LmsConnectionSchema } from '../model';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { useTempDirs } from '../../test-support/temp';
import { startMoodleSim, syntheticSchool, type MoodleSim } from './apply/test-support';
import { runPart } from './run-part';

const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
let deps: Parameters<typeof runPart>[0];

beforeEach(async () => {
  sim = await startMoodleSim();
  const dataDir = tempDir();
  store = openStore({ file: join(dataDir, 'classbridge.db') });
  store.connections.save(
    LmsConnectionSchema.parse({
      id: 'm',
      kind: 'lms',
      provider: 'moodle',
      name: 'School Moodle',
      url: sim.url,
      mapping: { newCourseCategoryId: 1, roleIds: { student: 5, editingteacher: 3 } },
    }),
  );
  store.snapshot.replace(syntheticSchool(5, 2), 'test');
  const secrets = new MemorySecretStore();
  await secrets.set('m', 'token', sim.token);
  deps = { store, secrets, logger: silentLogger, dataDir };
});
afterEach(async () => {
  store.close();
  await sim.close();
});

const connectionError = (part: 'enrolments' | 'course-tracking') =>
  store.runs.listErrors({ part }).find((e) => e.recordKind === 'connection');

describe('a failed run is diagnosed, with the site check where the LMS still answers', () => {
  it('names the web-service function the token may no longer call, and where to add it', async () => {
    sim.revokeFunction(sim.token, 'core_user_create_users');

    const outcome = await runPart(deps, 'm', 'enrolments', 'manual');

    expect(outcome.outcome).toBe('failed');
    const error = connectionError('enrolments');
    expect(error?.message).toContain('core_user_create_users');
    expect(error?.fix).toMatch(/core_user_create_users/);
    expect(error?.fix).toContain('Web services');
  });

  it('says the host cannot be reached, when it cannot', async () => {
    await sim.close();
    const outcome = await runPart(deps, 'm', 'course-tracking', 'manual');
    sim = await startMoodleSim();

    expect(outcome.outcome).toBe('failed');
    expect(connectionError('course-tracking')?.message).toBe(
      'School Moodle refused the connection: the server may be down, or the address or port is wrong.',
    );
  });

  it('resolves the connection error once the part runs again successfully', async () => {
    sim.revokeFunction(sim.token, 'core_course_get_courses_by_field');
    sim.revokeFunction(sim.token, 'core_course_get_courses');
    expect((await runPart(deps, 'm', 'course-tracking', 'manual')).outcome).toBe('failed');
    expect(connectionError('course-tracking')).toBeDefined();

    sim.restoreFunction(sim.token, 'core_course_get_courses_by_field');
    sim.restoreFunction(sim.token, 'core_course_get_courses');
    expect((await runPart(deps, 'm', 'course-tracking', 'manual')).outcome).toBe('ok');

    expect(connectionError('course-tracking')).toBeUndefined();
    expect(store.runs.listErrors({ part: 'course-tracking', includeResolved: true })).toHaveLength(1);
  });
});
