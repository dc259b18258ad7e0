import { describe, expect, it } from 'vitest';
import type { LmsCourse } from '../../model';
import { emptyAppliedState, enrolmentKey } from './applied-state';
import type { PlanInput } from './plan-input';
import {
  firstUpload,
  lmsCourse,
  mapping,
  nonZeroCounts,
  planSchool,
  school,
  simulateApply,
} from '../../../test-support/plan-fixtures';

/** Plans the tiny school, varying only the rest of the input. */
const plan = (extra: Partial<PlanInput> = {}) => planSchool(school(), extra);

const mathsOnly = (p: ReturnType<typeof plan>) => p.enrol.filter((e) => e.applied.course === 'C-MATH');

describe('course states: only Open courses take enrolments', () => {
  it.each([
    ['New', 'course-new'],
    ['Closed', 'course-closed'],
    ['Deleted', 'course-deleted'],
  ] as const)('a %s course gets no enrolments, groups or updates', (state, reason) => {
    const lmsCourses: LmsCourse[] = [lmsCourse(501, 'MATH101', state), lmsCourse(502, 'ENG101', 'Open')];
    const p = plan({ lmsCourses });
    expect(mathsOnly(p)).toEqual([]);
    expect(p.enrol.map((e) => e.applied.course)).toEqual(['C-ENG', 'C-ENG', 'C-ENG']);
    expect(p.createGroups.map((g) => g.key)).toEqual(['G-ENG-A']);
    expect(p.skipped.enrolments[reason]).toBe(3);
    expect(p.skipped.groups[reason]).toBe(1);
    expect(p.adoptedCourses.map((a) => a.key)).toEqual(['C-ENG']);
  });

  it('a course closed after enrolments were made: its enrolments are left alone, even when the SMS drops them', () => {
    const applied = firstUpload();
    const snapshot = school();
    snapshot.enrolments = snapshot.enrolments.filter((e) => e.courseSmsId !== 'C-MATH');
    const closed = [lmsCourse(501, 'MATH101', 'Closed'), lmsCourse(502, 'ENG101', 'Open')];
    for (const removalPolicy of ['suspend', 'unenrol'] as const) {
      const p = plan({ snapshot, applied, lmsCourses: closed, mapping: mapping({ removalPolicy }) });
      expect(p.counts.total).toBe(0);
    }
    // …while in an Open course the same change is a removal.
    expect(plan({ snapshot, applied, mapping: mapping({ removalPolicy: 'unenrol' }) }).unenrol).toHaveLength(3);
  });

  it('a New course an admin then opens gets its enrolments on the next plan', () => {
    const newMaths = [lmsCourse(501, 'MATH101', 'New'), lmsCourse(502, 'ENG101', 'Open')];
    const applied = firstUpload(school(), { lmsCourses: newMaths });
    const p = plan({ applied });
    expect(nonZeroCounts(p)).toEqual({ enrol: 3, createGroups: 1, addGroupMembers: 2 });
    expect(p.adoptedCourses.map((a) => a.key)).toEqual(['C-MATH']);
  });

  it('matches by shortname when the mapping says so', () => {
    const lmsCourses = [lmsCourse(601, 'MATH101', 'Open', 'shortname'), lmsCourse(602, 'ENG101', 'Open', 'shortname')];
    expect(plan({ lmsCourses }).skipped.enrolments['course-not-in-lms']).toBe(6);
    const p = plan({ lmsCourses, mapping: mapping({ courseMatch: 'shortname' }) });
    expect(new Set(p.enrol.map((e) => e.record.courseId))).toEqual(new Set([601, 602]));
  });

  it('a live course wins over a Deleted one with the same idnumber', () => {
    const lmsCourses = [
      lmsCourse(400, 'MATH101', 'Deleted'),
      lmsCourse(501, 'MATH101', 'Open'),
      lmsCourse(502, 'ENG101', 'Open'),
    ];
    expect(mathsOnly(plan({ lmsCourses }))[0]?.record.courseId).toBe(501);
  });
});

describe('SMS courses with no LMS course', () => {
  const engOnly = [lmsCourse(502, 'ENG101', 'Open')];

  it('are skipped unless the admin allows course creation', () => {
    const p = plan({ lmsCourses: engOnly });
    expect(p.createCourses).toEqual([]);
    expect(mathsOnly(p)).toEqual([]);
    expect(p.skipped.enrolments['course-not-in-lms']).toBe(3);
  });

  it('are created in the chosen category when allowed, and enrolled into at once', () => {
    const p = plan({
      lmsCourses: engOnly,
      mapping: mapping({ newCourseCategoryId: 7 }),
      options: { allowCourseCreation: true, timeZone: 'UTC' },
    });
    expect(p.createCourses).toEqual([
      {
        key: 'C-MATH',
        record: {
          fullname: 'Mathematics',
          shortname: 'MATH101',
          idnumber: 'MATH101',
          categoryId: 7,
          startDate: Date.UTC(2026, 1, 2) / 1000,
          endDate: Date.UTC(2026, 11, 12) / 1000,
        },
        applied: expect.objectContaining({ origin: 'created' }),
      },
    ]);
    const e = p.enrol.find((op) => op.key === enrolmentKey('S2', 'C-MATH'));
    expect(e?.record.courseId).toEqual({ smsCourseId: 'C-MATH' });
    expect(p.createGroups.find((g) => g.key === 'G-MATH-A')?.record.courseId).toEqual({ smsCourseId: 'C-MATH' });

    // Course tracking has not listed the new course yet: it is still synced, and nothing is planned twice.
    const applied = simulateApply(emptyAppliedState(), p);
    const again = plan({
      applied,
      lmsCourses: engOnly,
      mapping: mapping({ newCourseCategoryId: 7 }),
      options: { allowCourseCreation: true },
    });
    expect(again.counts.total).toBe(0);
  });

  it('cannot be created without a category: a planning error with the fix', () => {
    const p = plan({ lmsCourses: engOnly, options: { allowCourseCreation: true } });
    expect(p.createCourses).toEqual([]);
    expect(p.errors).toEqual([
      expect.objectContaining({
        recordKind: 'course',
        recordKey: 'C-MATH',
        course: 'MATH101',
        fix: expect.stringContaining('category'),
      }),
    ]);
  });

  it('two SMS courses with one code are both refused, naming each other', () => {
    const snapshot = school();
    snapshot.courses.push({ smsId: 'C-MATH-2', code: 'MATH101', name: 'Maths again' });
    const p = plan({ snapshot });
    expect(p.errors.map((e) => [e.recordKey, e.related])).toEqual([
      ['C-MATH', ['C-MATH-2']],
      ['C-MATH-2', ['C-MATH']],
    ]);
    expect(mathsOnly(p)).toEqual([]);
  });
});
