import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMoodleAdapter } from '../../../adapters/lms/moodle';
import type { Store } from '../store/store';
import { useTempDirs } from '../../test-support/temp';
import { startMoodleSim, startPartRunMoodle, syntheticSchool, type MoodleSim } from '../../test-support/upload-harness';
import { diagnoseRunFailure } from '../schedule';
import { runPart } from './run-part';

const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
let deps: Parameters<typeof runPart>[0];

beforeEach(async () => {
  ({ sim, store, deps } = await startPartRunMoodle(tempDir(), 'm'));
  store.snapshot.replace(syntheticSchool(5, 2), 'test');
});
afterEach(async () => {
  store.close();
  await sim.close();
});

const connectionError = (part: 'upload' | 'course-tracking' | 'reconcile') =>
  store.runs.listErrors({ part }).find((e) => e.recordKind === 'connection');

describe('a failed run is diagnosed, with the site check where the LMS still answers', () => {
  it('names the web-service function the token may no longer call, and where to add it', async () => {
    sim.revokeFunction(sim.token, 'core_user_create_users');

    const outcome = await runPart(deps, 'm', 'upload', 'manual');

    expect(outcome.outcome).toBe('failed');
    const error = connectionError('upload');
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

/** A record's fix: what FIX_OF_KIND says for a refused record (check its username, email, names in the SMS). */
const RECORD_FIX = /username|email|names|this record|record named above/i;

describe('an LMS error that is not about a record gets no record fix', () => {
  it('a PHP error in Moodle (a deleted course in the id list) is diagnosed as Moodle failing, with what to do', async () => {
    const adapter = createMoodleAdapter({ url: sim.url, token: sim.token, maxAttempts: 1 });
    sim.state.courses.delete(3);
    const error = await adapter.findCourses('id', [2, 3]).catch((e: unknown) => e);

    const diagnosis = await diagnoseRunFailure(error, 'School Moodle', () => adapter.describe());

    expect(diagnosis.kind).not.toBe('data');
    expect(diagnosis.summary).toContain('Attempt to assign property "contextvalidated" on null');
    expect(diagnosis.fix).not.toMatch(RECORD_FIX);
    expect(diagnosis.fix).toContain('course tracking');
    expect(diagnosis.retriesOnItsOwn).toBe(false);
  });

  it('a refused request that stops a whole run is not blamed on a record', async () => {
    const refused = readFileSync(
      join(__dirname, '../../../adapters/testing/moodle-sim/recordings/err_invalid_param_wrong_type.json'),
      'utf8',
    );
    const body = JSON.stringify((JSON.parse(refused) as { body: unknown }).body);
    sim.injectFault({ kind: 'http-status', status: 200, body }, { function: 'core_course_get_courses_by_field' });

    const outcome = await runPart(deps, 'm', 'course-tracking', 'manual');

    expect(outcome.outcome).toBe('failed');
    const error = connectionError('course-tracking');
    expect(error?.message).toContain('Invalid parameter value detected');
    expect(error?.message).toMatch(/not (about )?one record|whole run/);
    expect(error?.fix).not.toMatch(RECORD_FIX);
  });

  it('reconcile after a course was deleted in Moodle ends ok, with no connection error', async () => {
    expect((await runPart(deps, 'm', 'upload', 'manual')).outcome).toBe('ok');
    const created = [...sim.state.courses.values()].find((c) => c.shortname === 'SYN1-2026');
    if (!created) throw new Error('the upload made no SYN1-2026');
    sim.state.courses.delete(created.id);

    const outcome = await runPart(deps, 'm', 'reconcile', 'manual');

    expect(outcome.outcome).toBe('ok');
    expect(connectionError('reconcile')).toBeUndefined();
  });
});
