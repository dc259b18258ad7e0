import { describe, expect, it } from 'vitest';
import { firstUpload, mapping, planSchool, school } from '../../../test-support/plan-fixtures';
import { MappingSchema, type Mapping, type Snapshot } from '../../model';
import { cohortExamples, cohortKey, emptyAppliedCohorts, unknownCohortFields, type AppliedCohorts } from './cohorts';

/** The tiny school with S1, S2 in Year 10 and S3 in Year 11; houses Kauri (S1, S3) and Rimu (S2). */
function withYears(): Snapshot {
  const s = school();
  const extra: Record<string, Record<string, string>> = {
    S1: { yearLevel: '10', house: 'Kauri' },
    S2: { yearLevel: '10', house: 'Rimu' },
    S3: { yearLevel: '11', house: 'Kauri' },
  };
  for (const p of s.people) if (extra[p.smsId]) p.extra = extra[p.smsId];
  return s;
}

const years = (overrides: Partial<Mapping> = {}): Mapping =>
  mapping({ cohorts: { rules: [{ from: 'yearLevel', name: 'Year {value}', roles: ['student'] }] }, ...overrides });

/** The cohorts and members as an apply would have recorded them. */
function made(members: Record<string, string[]>, names: Record<string, string> = {}): AppliedCohorts {
  let id = 1;
  return {
    cohorts: new Map(Object.keys(members).map((k) => [k, { lmsId: id++, name: names[k] ?? k }])),
    members: new Map(Object.entries(members).map(([k, v]) => [k, new Set(v)])),
  };
}

const y10 = cohortKey('yearLevel', '10');
const y11 = cohortKey('yearLevel', '11');

describe('cohort rules: the schema', () => {
  it('fills the defaults: name {value}, students only', () => {
    const m = MappingSchema.parse({ cohorts: { rules: [{ from: 'house' }] } });
    expect(m.cohorts).toEqual({ rules: [{ from: 'house', name: '{value}', roles: ['student'] }] });
  });

  it('refuses a template with bad syntax, {n}, two rules from one field, and unknown keys, each with a reason', () => {
    const issues = (cohorts: unknown) => {
      const r = MappingSchema.safeParse({ cohorts });
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(issues({ rules: [{ from: 'house', name: 'House {value' }] })[0]).toContain('is not closed');
    expect(issues({ rules: [{ from: 'house', name: '{value}{n}' }] })[0]).toContain('not cohort names');
    expect(issues({ rules: [{ from: 'house' }, { from: 'house', roles: ['staff'] }] })[0]).toContain(
      'Two cohort rules use "house"',
    );
    expect(issues({ rules: [{ from: 'house', colour: 'red' }] }).length).toBe(1);
    expect(issues({ rules: [{ from: 'year level' }] })[0]).toContain('Name an SMS person field');
  });
});

describe('planning cohorts', () => {
  it('first upload: one cohort per year level, the students who are created this run as members', () => {
    const plan = planSchool(withYears(), { mapping: years(), cohorts: emptyAppliedCohorts() });
    expect(plan.createCohorts.map((op) => [op.key, op.record.name])).toEqual([
      [y10, 'Year 10'],
      [y11, 'Year 11'],
    ]);
    expect(plan.addCohortMembers.map((op) => [op.applied.cohort, op.applied.person, op.record.userId])).toEqual([
      [y10, 'S1', { smsPersonId: 'S1' }],
      [y10, 'S2', { smsPersonId: 'S2' }],
      [y11, 'S3', { smsPersonId: 'S3' }],
    ]);
    expect(plan.cohortMembers).toBe(0);
  });

  it('plans no cohort without cohort state (reconcile) or without rules', () => {
    expect(planSchool(withYears(), { mapping: years() }).counts.createCohorts).toBe(0);
    expect(planSchool(withYears(), { cohorts: emptyAppliedCohorts() }).counts.addCohortMembers).toBe(0);
  });

  it('a renamed template makes no second cohort (the key is the idnumber, not the name)', () => {
    const s = withYears();
    const applied = firstUpload(s, { mapping: years() });
    const cohorts = made({ [y10]: ['S1', 'S2'], [y11]: ['S3'] }, { [y10]: 'Year 10', [y11]: 'Year 11' });
    const plan = planSchool(s, {
      mapping: years({ cohorts: { rules: [{ from: 'yearLevel', name: 'Y{value} students', roles: ['student'] }] } }),
      applied,
      cohorts,
    });
    expect(plan.counts).toMatchObject({ createCohorts: 0, addCohortMembers: 0, removeCohortMembers: 0 });
  });

  it('removes a member ClassBridge added who no longer qualifies; keep removes nobody', () => {
    const s = withYears();
    const applied = firstUpload(s, { mapping: years() });
    const cohorts = made({ [y10]: ['S1', 'S2'], [y11]: ['S3'] });
    s.people.find((p) => p.smsId === 'S2')!.extra!.yearLevel = '11';
    const plan = planSchool(s, { mapping: years(), applied, cohorts });
    expect(plan.removeCohortMembers.map((op) => op.key)).toEqual([`${y10}\u0000S2`]);
    expect(plan.addCohortMembers.map((op) => op.key)).toEqual([`${y11}\u0000S2`]);
    expect(plan.removeCohortMembers[0]!.record.userId).toBe(applied.links.people.S2);
    expect(plan.cohortMembers).toBe(3);
    const kept = planSchool(s, { mapping: years({ removalPolicy: 'keep' }), applied, cohorts });
    expect(kept.counts).toMatchObject({ addCohortMembers: 1, removeCohortMembers: 0 });
  });

  it('a person who left the SMS leaves the cohort too; a cohort of a rule no longer in the mapping is left alone', () => {
    const s = withYears();
    const applied = firstUpload(s, { mapping: years() });
    const house = cohortKey('house', 'Kauri');
    const cohorts = made({ [y10]: ['S1', 'S2'], [y11]: ['S3'], [house]: ['S1', 'S3'] });
    s.people = s.people.filter((p) => p.smsId !== 'S1');
    s.enrolments = s.enrolments.filter((e) => e.personSmsId !== 'S1');
    const plan = planSchool(s, { mapping: years(), applied, cohorts });
    expect(plan.removeCohortMembers.map((op) => op.key)).toEqual([`${y10}\u0000S1`]);
  });

  it('a left-alone person gets no membership change', () => {
    const s = withYears();
    const applied = firstUpload(s, { mapping: years() });
    const cohorts = made({ [y10]: ['S1', 'S2'], [y11]: ['S3'] });
    s.people.find((p) => p.smsId === 'S2')!.extra!.yearLevel = '11';
    const plan = planSchool(s, {
      mapping: years(),
      applied,
      cohorts,
      leaveAlone: { people: new Set(['S2']), courses: new Set() },
    });
    expect(plan.counts).toMatchObject({ addCohortMembers: 0, removeCohortMembers: 0 });
  });

  it('a person the upload cannot create (a planning error) is not added', () => {
    const s = withYears();
    s.people.find((p) => p.smsId === 'S2')!.username = 'angata'; // S1's username: a duplicate
    const plan = planSchool(s, { mapping: years(), cohorts: emptyAppliedCohorts() });
    const people = plan.addCohortMembers.map((op) => op.applied.person);
    expect(plan.createUsers.map((op) => op.key)).not.toContain('S2');
    expect(people).not.toContain('S2');
  });

  it('class: one cohort per SMS class for its students, and staff by the classes they teach when asked', () => {
    const s = withYears();
    const plan = planSchool(s, {
      mapping: mapping({ cohorts: { rules: [{ from: 'class', name: '{value} class', roles: ['student', 'staff'] }] } }),
      cohorts: emptyAppliedCohorts(),
    });
    expect(plan.createCohorts.map((op) => [op.key, op.record.name])).toEqual([
      [cohortKey('class', 'G-MATH-A'), 'Maths A class'],
      [cohortKey('class', 'G-ENG-A'), 'English A class'],
      // The teacher's enrolments name no class: the course is the cohort.
      [cohortKey('class', 'course:C-MATH'), 'MATH101 class'],
      [cohortKey('class', 'course:C-ENG'), 'ENG101 class'],
    ]);
  });

  it('a long value gets a hashed idnumber within Moodle’s 100 characters, the same every time', () => {
    const long = 'x'.repeat(200);
    expect(cohortKey('house', long)).toHaveLength('classbridge:house:#'.length + 32);
    expect(cohortKey('house', long)).toBe(cohortKey('house', long));
  });

  it('the dry run names each person’s cohorts and the fields the SMS lacks', () => {
    const s = withYears();
    const m = mapping({
      cohorts: {
        rules: [
          { from: 'yearLevel', name: 'Year {value}', roles: ['student'] },
          { from: 'house', name: '{value} House', roles: ['student'] },
        ],
      },
    });
    expect(cohortExamples({ snapshot: s, mapping: m, cohorts: emptyAppliedCohorts() }, 2)).toEqual([
      { key: 'S1', name: 'Aroha Ngata', cohorts: ['Year 10', 'Kauri House'] },
      { key: 'S2', name: 'Ben Lee', cohorts: ['Year 10', 'Rimu House'] },
    ]);
    const warnings = unknownCohortFields(s, [{ from: 'tutorGroup', name: '{value} {form}', roles: ['student'] }]);
    expect(warnings[0]!.message).toContain('"tutorGroup" names a field the SMS does not give');
    expect(warnings[0]!.message).toContain('yearLevel');
    expect(warnings[1]!.message).toContain('{form}');
    // In the plan: one error per rule, with the field list, and no cohort from it.
    const plan = planSchool(s, {
      mapping: mapping({ cohorts: { rules: [{ from: 'tutorGroup', name: '{value}', roles: ['student'] }] } }),
      cohorts: emptyAppliedCohorts(),
    });
    expect(plan.errors).toEqual([
      expect.objectContaining({ recordKind: 'cohort', recordKey: 'rule:tutorGroup', field: 'tutorGroup' }),
    ]);
    expect(plan.counts.createCohorts).toBe(0);
  });

  it('costs one pass: a 20,000-student school plans in well under a second', () => {
    const s = withYears();
    const students = Array.from({ length: 20_000 }, (_, i) => ({
      smsId: `X${i}`,
      role: 'student' as const,
      givenName: 'A',
      familyName: `B${i}`,
      username: `x${i}`,
      active: true,
      extra: { yearLevel: String(9 + (i % 5)), house: `H${i % 4}` },
    }));
    s.people.push(...students);
    const start = performance.now();
    const plan = planSchool(s, {
      mapping: mapping({
        cohorts: {
          rules: [
            { from: 'yearLevel', name: '{value}', roles: ['student'] },
            { from: 'house', name: '{value}', roles: ['student'] },
          ],
        },
      }),
      cohorts: emptyAppliedCohorts(),
    });
    expect(plan.addCohortMembers.length).toBeGreaterThanOrEqual(40_000);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
