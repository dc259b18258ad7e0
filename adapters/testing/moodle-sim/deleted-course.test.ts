/**
 * Fidelity: core_course_get_courses_by_field with field=ids and a course id that has no course row (deleted in
 * Moodle) fails as a whole on Moodle 5.1 with a PHP Error, not a moodle_exception (reference §10; no recording:
 * the body follows webservice_rest_server::generate_error for a Throwable without errorcode or debuginfo).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { callSim, encodePairs, post } from './test-support';

let sim: MoodleSim;
afterEach(() => sim.close());

const PHP_ERROR = 'Attempt to assign property "contextvalidated" on null';
const byIds = (ids: number[]) =>
  callSim(sim, 'core_course_get_courses_by_field', { field: 'ids', value: ids.join(',') });

describe('get_courses_by_field with a deleted course id', () => {
  test('the whole call fails with the PHP Error class and message, and no errorcode', async () => {
    sim = await startMoodleSim();
    sim.state.courses.delete(3);

    const answer = await byIds([2, 3, 4]);

    expect(answer).toEqual({ exception: 'Error', message: PHP_ERROR });
  });

  test('debugging on adds nothing: a PHP Error has no debuginfo', async () => {
    sim = await startMoodleSim({ debug: true });
    sim.state.courses.delete(3);

    expect(await byIds([3])).toEqual({ exception: 'Error', message: PHP_ERROR });
  });

  test('an id that never existed fails the same way; the ids that exist still answer on their own', async () => {
    sim = await startMoodleSim();

    expect(await byIds([2, 99999])).toEqual({ exception: 'Error', message: PHP_ERROR });
    const ok = (await byIds([2, 4])) as { courses: { id: number }[]; warnings: unknown[] };
    expect(ok.courses.map((c) => c.id).sort()).toEqual([2, 4]);
    expect(ok.warnings).toEqual([]);
  });

  test('the other lookups do not fail: field=id answers an empty list and the full list leaves the course out', async () => {
    sim = await startMoodleSim();
    sim.state.courses.delete(3);

    expect(await callSim(sim, 'core_course_get_courses_by_field', { field: 'id', value: '3' })).toEqual({
      courses: [],
      warnings: [],
    });
    const all = (await callSim(sim, 'core_course_get_courses_by_field')) as { courses: { id: number }[] };
    expect(all.courses.map((c) => c.id)).not.toContain(3);
    expect(all.courses.length).toBeGreaterThan(1);
  });

  test('in XML the exception carries no ERRORCODE element', async () => {
    sim = await startMoodleSim();
    sim.state.courses.delete(3);
    const query = encodePairs([
      ['wstoken', sim.token],
      ['wsfunction', 'core_course_get_courses_by_field'],
    ]);

    const answer = await post(
      sim,
      encodePairs([
        ['field', 'ids'],
        ['value', '3'],
      ]),
      query,
    );

    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<EXCEPTION class="Error">');
    expect(answer.text).toContain(`<MESSAGE>Attempt to assign property &quot;contextvalidated&quot; on null</MESSAGE>`);
    expect(answer.text).not.toContain('<ERRORCODE>');
  });
});
