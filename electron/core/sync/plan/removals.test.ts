import { describe, expect, it } from 'vitest';
import type { Mapping, Snapshot } from '../../model';
import { enrolmentKey, membershipKey, type AppliedState } from './applied-state';
import {
  firstUpload,
  mapping,
  nonZeroCounts,
  planSchool,
  school,
  simulateApply,
} from '../../../test-support/plan-fixtures';

function planWith(policy: Mapping['removalPolicy'], snapshot: Snapshot, applied: AppliedState) {
  return planSchool(snapshot, { applied, mapping: mapping({ removalPolicy: policy }) });
}

function appliedSchool(policy: Mapping['removalPolicy']): AppliedState {
  return firstUpload(school(), { mapping: mapping({ removalPolicy: policy }) });
}

/** The school without student S1 (who had two enrolments). */
function withoutS1(): Snapshot {
  const s = school();
  s.people = s.people.filter((p) => p.smsId !== 'S1');
  s.enrolments = s.enrolments.filter((e) => e.personSmsId !== 'S1');
  return s;
}

/** The school with S2 no longer in Maths (S2 stays a student). */
function withoutS2Maths(): Snapshot {
  const s = school();
  s.enrolments = s.enrolments.filter((e) => !(e.personSmsId === 'S2' && e.courseSmsId === 'C-MATH'));
  return s;
}

describe('a person gone from the SMS', () => {
  it('suspend: the user is suspended (their enrolments stay, covered by the suspension)', () => {
    const applied = appliedSchool('suspend');
    const p = planWith('suspend', withoutS1(), applied);
    expect(nonZeroCounts(p)).toEqual({ suspendUsers: 1 });
    expect(p.suspendUsers[0]).toMatchObject({ key: 'S1', record: { userId: applied.links.people.S1 } });
    expect(p.suspendUsers[0]?.applied).toMatchObject({ suspended: true, role: 'student' });
  });

  it('suspend, then back in the SMS: the user is reactivated, nothing else', () => {
    const applied = appliedSchool('suspend');
    const afterLeaving = simulateApply(applied, planWith('suspend', withoutS1(), applied));
    const p = planWith('suspend', school(), afterLeaving);
    expect(nonZeroCounts(p)).toEqual({ reactivateUsers: 1 });
    expect(p.reactivateUsers[0]?.record).toEqual({ id: applied.links.people.S1, suspended: false });
    expect(planWith('suspend', school(), simulateApply(afterLeaving, p)).counts.total).toBe(0);
  });

  it('reactivation carries changed fields in the same request', () => {
    const applied = appliedSchool('suspend');
    const afterLeaving = simulateApply(applied, planWith('suspend', withoutS1(), applied));
    const back = school();
    back.people[0]!.email = 'aroha.ngata@school.nz';
    const p = planWith('suspend', back, afterLeaving);
    expect(nonZeroCounts(p)).toEqual({ reactivateUsers: 1 });
    expect(p.reactivateUsers[0]?.record).toEqual({
      id: applied.links.people.S1,
      email: 'aroha.ngata@school.nz',
      suspended: false,
    });
  });

  it('unenrol: every enrolment in an Open course is removed, the user stays active', () => {
    const applied = appliedSchool('unenrol');
    const p = planWith('unenrol', withoutS1(), applied);
    expect(nonZeroCounts(p)).toEqual({ unenrol: 2 });
    expect(p.unenrol.map((u) => u.record)).toEqual([
      { userId: applied.links.people.S1, courseId: 501 },
      { userId: applied.links.people.S1, courseId: 502 },
    ]);
    const after = simulateApply(applied, p);
    expect(after.enrolments[enrolmentKey('S1', 'C-MATH')]).toBeUndefined();
    // The LMS drops the group memberships with the enrolment; the state does too.
    expect(after.memberships[membershipKey('G-MATH-A', 'S1')]).toBeUndefined();
    expect(planWith('unenrol', withoutS1(), after).counts.total).toBe(0);
  });

  it('keep: nothing is done', () => {
    const applied = appliedSchool('keep');
    expect(planWith('keep', withoutS1(), applied).counts.total).toBe(0);
  });

  it('an inactive person counts as gone', () => {
    const applied = appliedSchool('suspend');
    const s = school();
    s.people[0]!.active = false;
    expect(nonZeroCounts(planWith('suspend', s, applied))).toEqual({ suspendUsers: 1 });
  });

  it('an already suspended user is not suspended again', () => {
    const applied = appliedSchool('suspend');
    const after = simulateApply(applied, planWith('suspend', withoutS1(), applied));
    expect(planWith('suspend', withoutS1(), after).counts.total).toBe(0);
  });
});

describe('an enrolment gone from the SMS while the person stays', () => {
  it('suspend: the enrolment is suspended with its full state', () => {
    const applied = appliedSchool('suspend');
    const p = planWith('suspend', withoutS2Maths(), applied);
    expect(nonZeroCounts(p)).toEqual({ suspendEnrolments: 1 });
    expect(p.suspendEnrolments[0]?.record).toEqual({
      userId: applied.links.people.S2,
      courseId: 501,
      roleShortname: 'student',
      timeStart: 0,
      timeEnd: 0,
      suspended: true,
    });
  });

  it('suspend, then back: the enrolment is reactivated', () => {
    const applied = appliedSchool('suspend');
    const after = simulateApply(applied, planWith('suspend', withoutS2Maths(), applied));
    const p = planWith('suspend', school(), after);
    expect(nonZeroCounts(p)).toEqual({ enrol: 1 });
    expect(p.enrol[0]).toMatchObject({ reason: 'reactivated', record: { suspended: false } });
  });

  it('an inactive enrolment row counts as gone', () => {
    const applied = appliedSchool('unenrol');
    const s = school();
    s.enrolments[2]!.active = false;
    expect(nonZeroCounts(planWith('unenrol', s, applied))).toEqual({ unenrol: 1 });
  });

  it('unenrol: the enrolment is removed, no separate membership removal', () => {
    const applied = appliedSchool('unenrol');
    expect(nonZeroCounts(planWith('unenrol', withoutS2Maths(), applied))).toEqual({ unenrol: 1 });
  });

  it('keep: nothing is done', () => {
    const applied = appliedSchool('keep');
    expect(planWith('keep', withoutS2Maths(), applied).counts.total).toBe(0);
  });
});
