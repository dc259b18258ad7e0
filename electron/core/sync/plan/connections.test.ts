import { describe, expect, it } from 'vitest';
import { emptyAppliedState } from './applied-state';
import {
  lmsCourse,
  mapping,
  nonZeroCounts,
  openCourses,
  planSchool,
  school,
  simulateApply,
} from '../../../test-support/plan-fixtures';

describe('two LMS connections fed by one SMS', () => {
  const moodle = {
    connectionId: 'moodle',
    mapping: mapping({ usernameFrom: 'sms-username', removalPolicy: 'suspend' }),
    lmsCourses: openCourses(),
  };
  const totara = {
    connectionId: 'totara',
    mapping: mapping({
      usernameFrom: 'sms-id',
      emailFrom: 'none',
      courseMatch: 'shortname',
      roles: { student: 'learner', teacher: 'trainer' },
      removalPolicy: 'unenrol',
    }),
    lmsCourses: [lmsCourse(77, 'MATH101', 'Open', 'shortname'), lmsCourse(78, 'ENG101', 'Closed', 'shortname')],
  };

  it('produce independent plans, each by its own mapping and course states', () => {
    const a = planSchool(school(), moodle);
    const b = planSchool(school(), totara);
    expect(a.connectionId).toBe('moodle');
    expect(b.connectionId).toBe('totara');
    expect(a.createUsers.map((u) => [u.record.username, u.record.email])).toContainEqual(['angata', 'aroha@school.nz']);
    expect(b.createUsers.map((u) => [u.record.username, u.record.email])).toContainEqual(['s1', '']);
    expect(a.enrol).toHaveLength(6);
    expect(b.enrol.map((e) => [e.record.courseId, e.record.roleShortname])).toEqual([
      [77, 'learner'],
      [77, 'learner'],
      [77, 'trainer'],
    ]);
  });

  it('applying one leaves the other untouched, and each follows its own removal policy', () => {
    const appliedA = simulateApply(emptyAppliedState(), planSchool(school(), moodle), [], 1000);
    const appliedB = emptyAppliedState();
    // B has applied nothing yet: it still plans the whole school.
    expect(planSchool(school(), { ...totara, applied: appliedB }).createUsers).toHaveLength(4);
    const bDone = simulateApply(appliedB, planSchool(school(), { ...totara, applied: appliedB }), [], 5000);
    expect(bDone.links.people.S1).toBe(5000);
    expect(appliedA.links.people.S1).toBe(1000);

    const left = school();
    left.people = left.people.filter((p) => p.smsId !== 'S2');
    left.enrolments = left.enrolments.filter((e) => e.personSmsId !== 'S2');
    const a = planSchool(left, { ...moodle, applied: appliedA });
    const b = planSchool(left, { ...totara, applied: bDone });
    expect(nonZeroCounts(a)).toEqual({ suspendUsers: 1 });
    expect(a.suspendUsers[0]?.record).toEqual({ userId: 1001 });
    expect(nonZeroCounts(b)).toEqual({ unenrol: 1 });
    expect(b.unenrol[0]?.record).toEqual({ userId: 5001, courseId: 77 });
  });
});
