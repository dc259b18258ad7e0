import { describe, expect, it } from 'vitest';
import { AppliedStateSchema, enrolmentKey, membershipKey } from './applied-state';
import {
  firstUpload,
  mapping,
  nonZeroCounts,
  planSchool,
  school,
  simulateApply,
} from '../../../test-support/plan-fixtures';

describe('planUpload: first upload', () => {
  it('creates every user, enrolment, group and membership', () => {
    const p = planSchool(school());
    expect(p.errors).toEqual([]);
    expect(nonZeroCounts(p)).toEqual({ createUsers: 4, enrol: 6, createGroups: 2, addGroupMembers: 4 });
    expect(p.counts.total).toBe(16);
    expect(p.adoptedCourses.map((a) => [a.key, a.lmsId])).toEqual([
      ['C-MATH', 501],
      ['C-ENG', 502],
    ]);
  });

  it('writes users as the mapping says, and uses placeholders for ids not known yet', () => {
    const p = planSchool(school());
    expect(p.createUsers[0]).toMatchObject({
      key: 'S1',
      record: {
        username: 'angata',
        firstname: 'Aroha',
        lastname: 'Ngata',
        email: 'aroha@school.nz',
        idnumber: 'S1',
        auth: 'manual',
        createPassword: true,
      },
    });
    const teacher = p.enrol.find((e) => e.key === enrolmentKey('T1', 'C-MATH'));
    expect(teacher?.record).toEqual({
      userId: { smsPersonId: 'T1' },
      courseId: 501,
      roleShortname: 'editingteacher',
      timeStart: 0,
      timeEnd: 0,
      suspended: false,
    });
    const member = p.addGroupMembers.find((m) => m.key === membershipKey('G-MATH-A', 'S2'));
    expect(member?.record).toEqual({ groupId: { smsGroupId: 'G-MATH-A' }, userId: { smsPersonId: 'S2' } });
    expect(p.createGroups[0]?.record).toEqual({ courseId: 501, name: 'Maths A', idnumber: 'G-MATH-A' });
  });

  it('turns SMS dates into unix seconds in the school time zone', () => {
    const p = planSchool(school(), { options: { timeZone: 'Pacific/Auckland' } });
    const e = p.enrol.find((op) => op.key === enrolmentKey('S1', 'C-MATH'));
    // 2 Feb 2026 00:00 in Auckland (NZDT, UTC+13) is 1 Feb 11:00 UTC.
    expect(e?.record.timeStart).toBe(Date.UTC(2026, 1, 1, 11) / 1000);
  });
});

describe('planUpload: after a full apply', () => {
  it('an unchanged snapshot plans nothing', () => {
    const applied = firstUpload();
    const p = planSchool(school(), { applied });
    expect(p.counts.total).toBe(0);
    expect(p.errors).toEqual([]);
    expect(p.adoptedCourses).toEqual([]);
  });

  it('still plans nothing after the state has been stored as JSON and read back', () => {
    const stored = JSON.stringify(firstUpload());
    const applied = AppliedStateSchema.parse(JSON.parse(stored));
    expect(planSchool(school(), { applied }).counts.total).toBe(0);
  });

  it('one changed field gives one update carrying only that field', () => {
    const applied = firstUpload();
    const snapshot = school();
    snapshot.people[1]!.familyName = 'Leigh';
    const p = planSchool(snapshot, { applied });
    expect(p.counts.total).toBe(1);
    expect(p.updateUsers).toEqual([
      {
        key: 'S2',
        record: { id: applied.links.people.S2, lastname: 'Leigh' },
        changed: ['lastname'],
        applied: expect.objectContaining({ lastname: 'Leigh', username: 'blee' }),
      },
    ]);
    expect(typeof p.updateUsers[0]!.record.id).toBe('number');
  });

  it('a changed enrolment date re-sends the full enrolment state', () => {
    const applied = firstUpload();
    const snapshot = school();
    snapshot.enrolments[2]!.endDate = '2026-06-30';
    const p = planSchool(snapshot, { applied });
    expect(nonZeroCounts(p)).toEqual({ enrol: 1 });
    expect(p.enrol[0]).toMatchObject({
      reason: 'changed',
      record: {
        userId: applied.links.people.S2,
        courseId: 501,
        roleShortname: 'student',
        timeStart: 0,
        timeEnd: Date.UTC(2026, 6, 1) / 1000,
        suspended: false,
      },
    });
  });

  it('a renamed SMS course updates the LMS course name only', () => {
    const applied = firstUpload();
    const snapshot = school();
    snapshot.courses[1]!.name = 'English Language';
    const p = planSchool(snapshot, { applied });
    expect(p.updateCourses).toEqual([
      expect.objectContaining({
        key: 'C-ENG',
        record: { id: 502, fullname: 'English Language' },
        changed: ['fullname'],
      }),
    ]);
    expect(p.counts.total).toBe(1);
  });

  it('a new student in an existing class is one user, one enrolment and one membership', () => {
    const applied = firstUpload();
    const snapshot = school();
    snapshot.people.push({
      smsId: 'S4',
      role: 'student',
      givenName: 'Eli',
      familyName: 'Tane',
      username: 'etane',
      active: true,
    });
    snapshot.enrolments.push({
      personSmsId: 'S4',
      courseSmsId: 'C-ENG',
      groupSmsIds: ['G-ENG-A'],
      role: 'student',
      active: true,
    });
    const p = planSchool(snapshot, { applied });
    expect(nonZeroCounts(p)).toEqual({ createUsers: 1, enrol: 1, addGroupMembers: 1 });
    expect(p.addGroupMembers[0]?.record).toEqual({
      groupId: applied.links.groups['G-ENG-A'],
      userId: { smsPersonId: 'S4' },
    });
  });

  it('a student moving class is one removal and one addition of membership', () => {
    const applied = firstUpload();
    const snapshot = school();
    snapshot.groups.push({ smsId: 'G-MATH-B', courseSmsId: 'C-MATH', name: 'Maths B' });
    snapshot.enrolments[2]!.groupSmsIds = ['G-MATH-B'];
    const p = planSchool(snapshot, { applied });
    expect(nonZeroCounts(p)).toEqual({ createGroups: 1, addGroupMembers: 1, removeGroupMembers: 1 });
    expect(p.removeGroupMembers[0]?.record).toEqual({
      groupId: applied.links.groups['G-MATH-A'],
      userId: applied.links.people.S2,
    });
    expect(planSchool(snapshot, { applied: simulateApply(applied, p) }).counts.total).toBe(0);
  });

  it('a person enrolled twice in one course (two classes) is one enrolment with both memberships', () => {
    const snapshot = school();
    snapshot.groups.push({ smsId: 'G-MATH-B', courseSmsId: 'C-MATH', name: 'Maths B' });
    snapshot.enrolments.push({
      personSmsId: 'S1',
      courseSmsId: 'C-MATH',
      groupSmsIds: ['G-MATH-B'],
      role: 'student',
      active: true,
    });
    const p = planSchool(snapshot);
    expect(p.enrol.filter((e) => e.key === enrolmentKey('S1', 'C-MATH'))).toHaveLength(1);
    expect(p.addGroupMembers.map((m) => m.key)).toContain(membershipKey('G-MATH-B', 'S1'));
    expect(p.addGroupMembers.map((m) => m.key)).toContain(membershipKey('G-MATH-A', 'S1'));
  });

  it('a changed mapping (usernames from SMS ids) updates every username', () => {
    const applied = firstUpload();
    const p = planSchool(school(), { applied, mapping: mapping({ usernameFrom: 'sms-id' }) });
    expect(nonZeroCounts(p)).toEqual({ updateUsers: 4 });
    expect(p.updateUsers[0]?.record).toEqual({ id: applied.links.people.S1, username: 's1' });
  });
});

describe('planUpload: roles', () => {
  it('maps SMS roles through the connection mapping', () => {
    const p = planSchool(school(), {
      mapping: mapping({ roles: { student: 'learner', teacher: 'teacher' } }),
    });
    expect(new Set(p.enrol.map((e) => e.record.roleShortname))).toEqual(new Set(['learner', 'teacher']));
  });

  it('an SMS role with no LMS role is a planning error, not an enrolment', () => {
    const snapshot = school();
    snapshot.enrolments.push({ personSmsId: 'T1', courseSmsId: 'C-MATH', role: 'aide', active: true });
    snapshot.enrolments.push({ personSmsId: 'S3', courseSmsId: 'C-MATH', role: 'aide', active: true });
    const p = planSchool(snapshot);
    expect(p.enrol).toHaveLength(6); // T1 keeps the first (teacher) row; S3's aide row is refused
    expect(p.errors).toEqual([
      expect.objectContaining({
        recordKind: 'enrolment',
        recordKey: enrolmentKey('S3', 'C-MATH'),
        course: 'MATH101',
        field: 'role',
        fix: expect.stringContaining('role mapping'),
      }),
    ]);
  });
});
