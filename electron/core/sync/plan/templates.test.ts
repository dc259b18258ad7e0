import { describe, expect, it } from 'vitest';
import type { Person, Snapshot } from '../../model';
import { emptyAppliedState } from './applied-state';
import {
  mapping,
  nonZeroCounts,
  openCourses,
  planSchool,
  school,
  simulateApply,
} from '../../../test-support/plan-fixtures';

const TEMPLATES = mapping({ usernameTemplate: '{first}.{last}{n}', emailTemplate: '{first}.{last}{n}@school.nz' });

function anna(smsId: string, extra: Partial<Person> = {}): Person {
  return { smsId, role: 'student', givenName: 'Anna', familyName: 'Smith', active: true, ...extra };
}

function withPeople(...people: Person[]): Snapshot {
  return { ...school(), people, enrolments: [] };
}

function names(plan: ReturnType<typeof planSchool>) {
  return Object.fromEntries(plan.createUsers.map((u) => [u.key, `${u.record.username} ${u.record.email}`]));
}

describe('username and email templates: collisions decided once', () => {
  it('two Anna Smiths get anna.smith and anna.smith2, the email with the same suffix', () => {
    const plan = planSchool(withPeople(anna('S2'), anna('S1')), { mapping: TEMPLATES });
    expect(plan.errors).toEqual([]);
    expect(names(plan)).toEqual({
      S1: 'anna.smith anna.smith@school.nz',
      S2: 'anna.smith2 anna.smith2@school.nz',
    });
  });

  it('a third arriving later (whatever her SMS id) renames nobody; the second leaving and returning keeps anna.smith2', () => {
    const run1 = planSchool(withPeople(anna('S1'), anna('S2')), { mapping: TEMPLATES });
    let applied = simulateApply(emptyAppliedState(), run1);

    // S0 sorts first, but the suffixes already given are kept.
    const run2 = planSchool(withPeople(anna('S0'), anna('S1'), anna('S2')), { mapping: TEMPLATES, applied });
    expect(nonZeroCounts(run2)).toEqual({ createUsers: 1 });
    expect(names(run2)).toEqual({ S0: 'anna.smith3 anna.smith3@school.nz' });
    applied = simulateApply(applied, run2);

    // S2 leaves (suspended, the LMS user keeps anna.smith2), and a fourth Anna does not take it.
    const run3 = planSchool(withPeople(anna('S0'), anna('S1'), anna('S2', { active: false }), anna('S4')), {
      mapping: TEMPLATES,
      applied,
    });
    expect(nonZeroCounts(run3)).toEqual({ createUsers: 1, suspendUsers: 1 });
    expect(names(run3)).toEqual({ S4: 'anna.smith4 anna.smith4@school.nz' });
    applied = simulateApply(applied, run3);

    // S2 comes back: reactivated as anna.smith2, nothing else written.
    const run4 = planSchool(withPeople(anna('S0'), anna('S1'), anna('S2'), anna('S4')), {
      mapping: TEMPLATES,
      applied,
    });
    expect(nonZeroCounts(run4)).toEqual({ reactivateUsers: 1 });
    expect(run4.reactivateUsers[0]!.record).toEqual({ id: 9001, suspended: false });
    expect(run4.reactivateUsers[0]!.applied.username).toBe('anna.smith2');
    applied = simulateApply(applied, run4);

    // The first leaving frees nothing for the others: no one is renamed.
    const run5 = planSchool(withPeople(anna('S0'), anna('S2'), anna('S4')), { mapping: TEMPLATES, applied });
    expect(nonZeroCounts(run5)).toEqual({ suspendUsers: 1 });
  });

  it("a person's own change (a new surname) gives them the template's new name; the old one stays taken by nobody", () => {
    const applied = simulateApply(
      emptyAppliedState(),
      planSchool(withPeople(anna('S1'), anna('S2')), { mapping: TEMPLATES }),
    );
    const plan = planSchool(withPeople(anna('S1'), anna('S2', { familyName: 'Jones' })), {
      mapping: TEMPLATES,
      applied,
    });
    expect(nonZeroCounts(plan)).toEqual({ updateUsers: 1 });
    expect(plan.updateUsers[0]!.record).toEqual({
      id: 9001,
      username: 'anna.jones',
      lastname: 'Jones',
      email: 'anna.jones@school.nz',
    });
  });

  it('a person re-keyed to a new SMS id (same USI) keeps their suffix', () => {
    const people = [anna('S1', { extra: { usi: 'U1' } }), anna('S2', { extra: { usi: 'U2' } })];
    const applied = simulateApply(emptyAppliedState(), planSchool(withPeople(...people), { mapping: TEMPLATES }));
    const plan = planSchool(withPeople(people[0]!, anna('S9', { extra: { usi: 'U2' } })), {
      mapping: TEMPLATES,
      applied,
    });
    expect(nonZeroCounts(plan)).toEqual({ rekeyPeople: 1 });
    expect(plan.rekeyPeople[0]).toMatchObject({ from: 'S2', key: 'S9', changed: ['idnumber'] });
    expect(plan.rekeyPeople[0]!.applied.username).toBe('anna.smith2');
  });

  it('without {n} a shared result is the duplicate error it always was', () => {
    const plan = planSchool(withPeople(anna('S1'), anna('S2')), {
      mapping: mapping({ usernameTemplate: '{first}.{last}' }),
    });
    expect(plan.errors.map((e) => [e.recordKey, e.field])).toEqual([
      ['S1', 'username'],
      ['S2', 'username'],
    ]);
  });

  it('fold macrons and lower-case usernames and emails; modifiers shorten and clean', () => {
    const people = [
      anna('S1', { givenName: 'Ānaru', familyName: "Ngātai-O'Brien", extra: { yearLevel: '10' } }),
      anna('S2', { givenName: 'Chloé', familyName: 'Martin', extra: { yearLevel: '9' } }),
    ];
    const plan = planSchool(withPeople(...people), {
      mapping: mapping({
        usernameTemplate: '{yearLevel}{first|initial}{last|alnum|max:6}{n}',
        emailTemplate: '{first}.{last|alnum}@school.nz',
      }),
    });
    expect(plan.errors).toEqual([]);
    expect(names(plan)).toEqual({
      S1: '10angatai anaru.ngataiobrien@school.nz',
      S2: '9cmartin chloe.martin@school.nz',
    });
  });

  it('a person without a field the template uses waits with an error; a field no one has lists the fields there are', () => {
    const people = [anna('S1', { extra: { yearLevel: '10' } }), anna('S2')];
    const plan = planSchool(withPeople(...people), { mapping: mapping({ usernameTemplate: '{yearLevel}{first}{n}' }) });
    expect(plan.createUsers.map((u) => u.record.username)).toEqual(['10anna']);
    expect(plan.errors).toEqual([
      {
        recordKind: 'person',
        recordKey: 'S2',
        field: 'username',
        message:
          'S2 (Anna Smith) has no yearLevel in the SMS, and the username template "{yearLevel}{first}{n}" uses it.',
        fix: 'Enter the yearLevel for this person in the SMS, or change the username template.',
      },
    ]);
    const typo = planSchool(withPeople(...people), { mapping: mapping({ usernameTemplate: '{yearlevel}{first}' }) });
    expect(typo.createUsers).toEqual([]);
    expect(typo.errors[0]!.message).toBe(
      'The template "{yearlevel}{first}" names {yearlevel}, which the SMS does not give. The fields are: first, last, smsId, username, email, role, yearLevel, n.',
    );
  });

  it('a templated username Moodle would refuse says how to fix the template', () => {
    const plan = planSchool(withPeople(anna('S1', { familyName: 'van Dyk' })), {
      mapping: mapping({ usernameTemplate: '{first}.{last}' }),
    });
    expect(plan.errors[0]!.message).toBe(
      'The username "anna.van dyk" for S1 (Anna van Dyk) contains space, which an LMS username may not.',
    );
    expect(plan.errors[0]!.fix).toContain('the alnum modifier');
    expect(plan.errors[0]!.fix).toContain('(for example "anna.vandyk")');
  });
});

describe('course name templates', () => {
  const courseMapping = mapping({
    courseFullnameTemplate: '{name} ({code}) {year}',
    courseShortnameTemplate: '{code}-{year}',
    newCourseCategoryId: 3,
  });

  it('name the courses ClassBridge creates; the idnumber stays the code', () => {
    const s = school();
    s.courses[1]!.startDate = '2026-02-02';
    const plan = planSchool(s, { mapping: courseMapping, lmsCourses: [], options: { allowCourseCreation: true } });
    expect(plan.createCourses.map((c) => [c.record.fullname, c.record.shortname, c.record.idnumber])).toEqual([
      ['Mathematics (MATH101) 2026', 'MATH101-2026', 'MATH101'],
      ['English (ENG101) 2026', 'ENG101-2026', 'ENG101'],
    ]);
  });

  it('a course without a field the template uses is held back with an error', () => {
    const plan = planSchool(school(), {
      mapping: courseMapping,
      lmsCourses: [],
      options: { allowCourseCreation: true },
    });
    expect(plan.createCourses.map((c) => c.key)).toEqual(['C-MATH']);
    expect(plan.errors).toMatchObject([
      {
        recordKind: 'course',
        recordKey: 'C-ENG',
        field: 'fullname',
        message:
          'ENG101 (English) has no year in the SMS, and the course fullname template "{name} ({code}) {year}" uses it.',
      },
    ]);
  });

  it('a templated shortname two courses would share is an error for both', () => {
    const plan = planSchool(school(), {
      mapping: mapping({ courseShortnameTemplate: '{smsId|initial}', newCourseCategoryId: 3 }),
      lmsCourses: [],
      options: { allowCourseCreation: true },
    });
    expect(plan.createCourses).toEqual([]);
    expect(plan.errors.map((e) => [e.recordKey, e.field])).toEqual([
      ['C-MATH', 'shortname'],
      ['C-ENG', 'shortname'],
    ]);
  });

  it('an existing course matched on shortname is matched on the templated shortname and renamed to the template', () => {
    const s = school();
    s.courses[1]!.startDate = '2026-02-02';
    const lms = openCourses().map((c) => ({
      ...c,
      idnumber: '',
      shortname: `${c.shortname.replace('short-', '')}-2026`,
    }));
    const m = { ...courseMapping, courseMatch: 'shortname' as const };
    const first = planSchool(s, { mapping: m, lmsCourses: lms });
    expect(first.createCourses).toEqual([]);
    expect(first.adoptedCourses.map((c) => [c.lmsId, c.applied.shortname])).toEqual([
      [501, 'MATH101-2026'],
      [502, 'ENG101-2026'],
    ]);
  });
});
