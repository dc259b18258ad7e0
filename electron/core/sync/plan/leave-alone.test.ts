import { describe, expect, it } from 'vitest';
import { countActive, enrolmentKey, membershipKey } from './applied-state';
import { withoutLeftAlone, type LeaveAloneMarks } from './leave-alone';
import { preview } from './preview';
import { assessRemovals } from './safety';
import {
  firstUpload,
  mapping,
  nonZeroCounts,
  planSchool,
  school,
  simulateApply,
} from '../../../test-support/plan-fixtures';
import type { Snapshot } from '../../model';

const marks = (people: string[] = [], courses: string[] = []): LeaveAloneMarks => ({
  people: new Set(people),
  courses: new Set(courses),
});

/** The school with S1's email and the Maths course's name changed in the SMS. */
function changed(): Snapshot {
  const s = school();
  s.people[0]!.email = 'aroha.ngata@school.nz';
  s.courses[0]!.name = 'Mathematics (Year 10)';
  return s;
}

describe('leave alone: a person', () => {
  it('gets no update, and the rest of the school is planned as before', () => {
    const applied = firstUpload();
    const p = planSchool(changed(), { applied, leaveAlone: marks(['S1']) });
    expect(p.updateUsers).toEqual([]);
    expect(nonZeroCounts(p)).toEqual({ updateCourses: 1 });
    expect(p.leftAlone).toEqual({ people: 1, courses: 0, operations: 1, errors: 0 });
  });

  it('is not created at first, nor enrolled, nor put in a class', () => {
    const p = planSchool(school(), { leaveAlone: marks(['S1']) });
    expect(p.createUsers.map((op) => op.key)).toEqual(['S2', 'S3', 'T1']);
    expect(p.enrol.some((op) => op.applied.person === 'S1')).toBe(false);
    expect(p.addGroupMembers.some((op) => op.applied.person === 'S1')).toBe(false);
    // 1 user, 2 enrolments, 2 memberships held back.
    expect(p.leftAlone).toMatchObject({ people: 1, operations: 5 });
  });

  it('is not suspended or unenrolled when gone from the SMS, and is not taken for gone once applied', () => {
    for (const removalPolicy of ['suspend', 'unenrol'] as const) {
      const m = mapping({ removalPolicy });
      const applied = firstUpload(school(), { mapping: m });
      const without = school();
      without.people = without.people.filter((x) => x.smsId !== 'S1');
      without.enrolments = without.enrolments.filter((e) => e.personSmsId !== 'S1');
      const p = planSchool(without, { applied, mapping: m, leaveAlone: marks(['S1']) });
      expect(p.counts.total).toBe(0);
      // Nothing was applied for S1, so the baseline still has them exactly as before.
      const after = simulateApply(applied, p);
      expect(after.people.S1).toEqual(applied.people.S1);
      expect(after.enrolments[enrolmentKey('S1', 'C-MATH')]).toEqual(applied.enrolments[enrolmentKey('S1', 'C-MATH')]);
    }
  });

  it('a role change in a course is not sent', () => {
    const applied = firstUpload();
    const s = school();
    s.enrolments.find((e) => e.personSmsId === 'T1' && e.courseSmsId === 'C-ENG')!.role = 'student';
    expect(planSchool(s, { applied, leaveAlone: marks(['T1']) }).counts.total).toBe(0);
    expect(nonZeroCounts(planSchool(s, { applied }))).toEqual({ enrol: 1 });
  });

  it('its planning errors are not reported (nothing is sent for it) but counted', () => {
    const s = school();
    s.people[0]!.givenName = '';
    const p = planSchool(s, { leaveAlone: marks(['S1']) });
    expect(p.errors).toEqual([]);
    expect(p.leftAlone?.errors).toBe(1);
  });
});

describe('leave alone: lifting the mark', () => {
  it('a person still in the SMS gets what changed meanwhile, and nothing is removed', () => {
    const applied = firstUpload();
    const whileMarked = planSchool(changed(), { applied, leaveAlone: marks(['S1']) });
    const state = simulateApply(applied, whileMarked);
    const lifted = planSchool(changed(), { applied: state });
    expect(nonZeroCounts(lifted)).toEqual({ updateUsers: 1 });
    expect(lifted.updateUsers[0]).toMatchObject({ key: 'S1', changed: ['email'] });
  });

  it('a person who left the SMS meanwhile is removed then, by the removal policy (and the rail counts it)', () => {
    const applied = firstUpload();
    const without = school();
    without.people = without.people.filter((x) => x.smsId !== 'S1');
    without.enrolments = without.enrolments.filter((e) => e.personSmsId !== 'S1');
    const state = simulateApply(applied, planSchool(without, { applied, leaveAlone: marks(['S1']) }));
    const lifted = planSchool(without, { applied: state });
    expect(nonZeroCounts(lifted)).toEqual({ suspendUsers: 1 });
    expect(assessRemovals(lifted, countActive(state)).checks[0]).toMatchObject({ population: 'students', removals: 1 });
  });
});

describe('leave alone: a course', () => {
  it('gets no update, no enrolment or class change; other courses go on', () => {
    const applied = firstUpload();
    const s = changed();
    s.people[0]!.email = 'aroha@school.nz';
    // S3 joins Maths and S2 leaves it, in class Maths A; English gains S2.
    s.enrolments = s.enrolments.filter((e) => !(e.personSmsId === 'S2' && e.courseSmsId === 'C-MATH'));
    s.enrolments.push({
      personSmsId: 'S3',
      courseSmsId: 'C-MATH',
      groupSmsIds: ['G-MATH-A'],
      role: 'student',
      active: true,
    });
    s.enrolments.push({
      personSmsId: 'S2',
      courseSmsId: 'C-ENG',
      groupSmsIds: ['G-ENG-A'],
      role: 'student',
      active: true,
    });
    const p = planSchool(s, { applied, leaveAlone: marks([], ['C-MATH']) });
    expect(nonZeroCounts(p)).toEqual({ enrol: 1, addGroupMembers: 1 });
    expect(p.enrol[0]?.key).toBe(enrolmentKey('S2', 'C-ENG'));
    expect(p.addGroupMembers[0]?.key).toBe(membershipKey('G-ENG-A', 'S2'));
    // update course, enrol S3, S3 in Maths A, suspend S2's Maths enrolment.
    expect(p.leftAlone).toEqual({ people: 0, courses: 1, operations: 4, errors: 0 });
  });

  it('is not created, adopted or given classes on the first upload', () => {
    const p = planSchool(school(), { leaveAlone: marks([], ['C-ENG']) });
    expect(p.adoptedCourses.map((c) => c.key)).toEqual(['C-MATH']);
    expect(p.createGroups.map((g) => g.key)).toEqual(['G-MATH-A']);
    expect(p.enrol.every((op) => op.applied.course === 'C-MATH')).toBe(true);
    const created = planSchool(school(), {
      lmsCourses: [],
      mapping: mapping({ newCourseCategoryId: 4 }),
      options: { allowCourseCreation: true },
      leaveAlone: marks([], ['C-ENG']),
    });
    expect(created.createCourses.map((c) => c.key)).toEqual(['C-MATH']);
  });
});

describe('leave alone: the dry run and the safety rail', () => {
  it('the preview says how many records are left alone and what is not sent', () => {
    const applied = firstUpload();
    const view = preview(planSchool(changed(), { applied, leaveAlone: marks(['S1', 'NOT-IN-SMS'], ['C-MATH']) }));
    expect(view.leftAlone).toEqual({ people: 1, courses: 1, operations: 2, errors: 0 });
    expect(view.summary).toBe(
      'Nothing to change. Left alone, as you asked: 1 person and 1 course — 2 changes not sent.',
    );
    // Nothing marked: nothing said.
    expect(preview(planSchool(school(), { applied })).summary).toBe('Nothing to change.');
  });

  it('left-alone records are neither removals nor part of the baseline the limits are a share of', () => {
    const applied = firstUpload();
    const base = withoutLeftAlone(applied, marks(['S1'], ['C-ENG']));
    expect(countActive(applied)).toEqual({ students: 3, staff: 1, enrolments: 6 });
    // S1 (2 enrolments) and English (S3's and T1's enrolments) are out.
    expect(countActive(base)).toEqual({ students: 2, staff: 1, enrolments: 2 });
    expect(applied.people.S1).toBeDefined(); // the input is not changed
    const without = school();
    without.people = without.people.filter((x) => x.smsId !== 'S1');
    without.enrolments = without.enrolments.filter((e) => e.personSmsId !== 'S1');
    const p = planSchool(without, { applied, leaveAlone: marks(['S1']) });
    expect(assessRemovals(p, countActive(base)).checks.every((c) => c.removals === 0)).toBe(true);
  });
});
