import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LmsError } from '../../contract';
import { startMoodleSim, type MoodleSim } from '../../testing/moodle-sim';
import { createMoodleAdapter } from './moodle-adapter';

/** copyCourse over core_course_duplicate_course (course-copy.ts), against the simulator over HTTP. */
let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await sim.close();
});

const adapter = () => createMoodleAdapter({ url: sim.url, token: sim.token, backoffMs: 5, timeoutMs: 5000 });
const copy = { templateCourseId: 2, fullname: 'Mathematics 2027', shortname: 'MATH-2027', categoryId: 3 };
const named = (shortname: string) => [...sim.state.courses.values()].filter((c) => c.shortname === shortname);

describe('MoodleAdapter.copyCourse', () => {
  it('copies the template and answers the new id; sends no backup options (none need moodle/backup:configure)', async () => {
    sim.revokeCapability(sim.token, 'moodle/backup:configure');
    const made = await adapter().copyCourse(copy);
    expect(made).toEqual({ id: named('MATH-2027')[0]!.id, shortname: 'MATH-2027' });
    expect(named('MATH-2027')[0]).toMatchObject({ category: 3, visible: 1, idnumber: '' });
  });

  it('a connection lost after Moodle made the copy: found by its shortname, not copied twice', async () => {
    sim.injectFault({ kind: 'reset-after-apply' }, { function: 'core_course_duplicate_course' });
    const made = await adapter().copyCourse(copy);
    expect(named('MATH-2027')).toHaveLength(1);
    expect(made.id).toBe(named('MATH-2027')[0]!.id);
    expect(sim.requestCount('core_course_duplicate_course')).toBe(1);
  });

  it('a taken shortname is a conflict; a missing template is not-found with the fix naming the mapping', async () => {
    const taken = await adapter()
      .copyCourse({ ...copy, shortname: 'BIO110-2026S1' })
      .catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(LmsError);
    expect((taken as LmsError).kind).toBe('conflict');
    const missing = (await adapter()
      .copyCourse({ ...copy, templateCourseId: 999 })
      .catch((e: unknown) => e)) as LmsError;
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toBe('Template course 999 does not exist in the LMS, so MATH-2027 was not made from it.');
    expect(missing.fix).toContain('templateCourseId');
  });

  it('a hidden template the token may not enter: the fix names viewhiddencourses', async () => {
    sim.state.courses.get(2)!.visible = 0;
    sim.revokeCapability(sim.token, 'moodle/course:viewhiddencourses');
    sim.revokeCapability(sim.token, 'moodle/course:update');
    const error = (await adapter()
      .copyCourse(copy)
      .catch((e: unknown) => e)) as LmsError;
    expect(error.kind).toBe('require-login');
    expect(error.fix).toContain('moodle/course:viewhiddencourses');
  });
});
