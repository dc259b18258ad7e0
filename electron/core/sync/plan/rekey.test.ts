import { describe, expect, it } from 'vitest';
import type { Person, Snapshot } from '../../model';
import { enrolmentKey, type AppliedState } from './applied-state';
import { describePlan } from './preview';
import { assessRemovals } from './safety';
import { countActive } from './applied-state';
import { heldPlanDetails, removalKeys } from './held-plan';
import { firstUpload, nonZeroCounts, planSchool, school, simulateApply } from '../../../test-support/plan-fixtures';

const plan = (snapshot: Snapshot, applied: AppliedState) => planSchool(snapshot, { applied });

/** The school with identifiers on everyone, applied once. */
function appliedSchool(extra: Record<string, Record<string, string>>): { snapshot: Snapshot; applied: AppliedState } {
  const snapshot = school();
  for (const p of snapshot.people) if (extra[p.smsId]) p.extra = extra[p.smsId];
  const applied = firstUpload(snapshot);
  return { snapshot, applied };
}

/** `from` leaves the SMS and comes back as `to` (new SMS id), with `changes`. */
function rekeyed(snapshot: Snapshot, from: string, to: string, changes: Partial<Person> = {}): Snapshot {
  const next = structuredClone(snapshot);
  next.people = next.people.map((p) => (p.smsId === from ? { ...p, smsId: to, ...changes } : p));
  next.enrolments = next.enrolments.map((e) => (e.personSmsId === from ? { ...e, personSmsId: to } : e));
  return next;
}

describe('re-keyed people', () => {
  it('same USI: one re-key of the same LMS user, no suspend, no create, enrolments unchanged', () => {
    const { snapshot, applied } = appliedSchool({ S1: { usi: 'USI0000001' } });
    const lmsId = applied.links.people.S1!;
    const p = plan(rekeyed(snapshot, 'S1', 'S999', { extra: { usi: 'USI0000001' } }), applied);

    expect(nonZeroCounts(p)).toEqual({ rekeyPeople: 1 });
    expect(p.rekeyPeople[0]).toMatchObject({
      key: 'S999',
      from: 'S1',
      evidence: 'usi',
      lmsId,
      record: { id: lmsId, idnumber: 'S999' },
    });
    expect(describePlan(p)).toContain('1 person re-keyed: S1 → S999 (same USI)');

    // Applied: the same LMS user under the new key, with the old person's enrolments and classes.
    const after = simulateApply(applied, p);
    expect(after.people.S1).toBeUndefined();
    expect(after.links.people.S1).toBeUndefined();
    expect(after.links.people.S999).toBe(lmsId);
    expect(after.people.S999).toMatchObject({ idnumber: 'S999', identity: { usi: 'USI0000001' } });
    expect(after.enrolments[enrolmentKey('S1', 'C-MATH')]).toBeUndefined();
    expect(after.enrolments[enrolmentKey('S999', 'C-MATH')]).toMatchObject({ person: 'S999', course: 'C-MATH' });
    expect(Object.values(after.memberships).filter((m) => m.person === 'S999')).toHaveLength(2);
    // …so the next plan is settled.
    expect(plan(rekeyed(snapshot, 'S1', 'S999', { extra: { usi: 'USI0000001' } }), after).counts.total).toBe(0);
  });

  it('same NSN, with the new name and email sent as part of the re-key', () => {
    const { snapshot, applied } = appliedSchool({ S2: { nsn: '123456789' } });
    const p = plan(
      rekeyed(snapshot, 'S2', 'K-77', { extra: { nsn: '123456789' }, email: 'ben.lee@school.nz' }),
      applied,
    );
    expect(nonZeroCounts(p)).toEqual({ rekeyPeople: 1 });
    expect(p.rekeyPeople[0]).toMatchObject({ from: 'S2', evidence: 'nsn', changed: ['email', 'idnumber'] });
    expect(p.rekeyPeople[0]!.record).toMatchObject({ email: 'ben.lee@school.nz', idnumber: 'K-77' });
  });

  it('same email and date of birth', () => {
    const { snapshot, applied } = appliedSchool({ S3: { dateOfBirth: '2010-04-01' } });
    const p = plan(rekeyed(snapshot, 'S3', 'S300', { extra: { dateOfBirth: '2010-04-01' } }), applied);
    expect(nonZeroCounts(p)).toEqual({ rekeyPeople: 1 });
    expect(p.rekeyPeople[0]).toMatchObject({ from: 'S3', key: 'S300', evidence: 'email+dob' });
  });

  it('the same email with another date of birth, or a USI that differs, is not the same person', () => {
    const { snapshot, applied } = appliedSchool({ S3: { dateOfBirth: '2010-04-01', usi: 'AAA' } });
    const other = plan(rekeyed(snapshot, 'S3', 'S300', { extra: { dateOfBirth: '2010-04-02' } }), applied);
    expect(other.rekeyPeople).toEqual([]);
    const contradicting = plan(
      rekeyed(snapshot, 'S3', 'S300', { extra: { dateOfBirth: '2010-04-01', usi: 'BBB' } }),
      applied,
    );
    expect(contradicting.rekeyPeople).toEqual([]);
  });

  it('an ambiguous match (two newcomers with the same USI) is no re-key', () => {
    const { snapshot, applied } = appliedSchool({ S1: { usi: 'U1' } });
    // (Other usernames and emails: the old account still holds angata.)
    const next = rekeyed(snapshot, 'S1', 'S999', { extra: { usi: 'U1' }, username: 'angata2', email: 'a2@school.nz' });
    next.people.push({ ...next.people.find((p) => p.smsId === 'S999')!, smsId: 'S998', username: 'other', email: '' });
    const p = plan(next, applied);
    expect(p.rekeyPeople).toEqual([]);
    expect(p.suspendUsers.map((op) => op.key)).toEqual(['S1']);
    expect(p.createUsers.map((op) => op.key).sort()).toEqual(['S998', 'S999']);
  });

  it('without identifiers it is suspend + create as before', () => {
    const { snapshot, applied } = appliedSchool({});
    const p = plan(rekeyed(snapshot, 'S1', 'S999', { username: 'angata2', email: 'a2@school.nz' }), applied);
    expect(p.rekeyPeople).toEqual([]);
    expect(p.suspendUsers.map((op) => op.key)).toEqual(['S1']);
    expect(p.createUsers.map((op) => op.key)).toEqual(['S999']);
  });

  it('the safety rail holds a plan with re-keys and the review lists them', () => {
    const { snapshot, applied } = appliedSchool({ S1: { usi: 'U1' } });
    const p = plan(rekeyed(snapshot, 'S1', 'S999', { extra: { usi: 'U1' } }), applied);
    const safety = assessRemovals(p, countActive(applied));
    expect(safety.held).toBe(true);
    expect(safety.rekeys).toEqual([{ from: 'S1', to: 'S999', evidence: 'usi', label: 'Aroha Ngata (angata)' }]);
    expect(safety.message).toContain('1 person re-keyed: S1 → S999 (same USI)');
    expect(removalKeys(p)).toEqual(['r:S1>S999']);
    expect(heldPlanDetails(p).counts.rekeyPeople).toBe(1);
  });

  it('a state applied before identities were kept gains them without an LMS write, then re-keys', () => {
    const { snapshot, applied } = appliedSchool({ S1: { usi: 'U1' } });
    const old = structuredClone(applied);
    for (const key in old.people) delete old.people[key]!.identity;

    const backfill = plan(snapshot, old);
    expect(backfill.counts.total).toBe(0);
    expect(describePlan(backfill)).toBe('Nothing to change.');
    expect(backfill.identities?.map((r) => r.key)).toEqual(['S1']);
    const after = simulateApply(old, backfill);
    expect(after.people.S1?.identity).toEqual({ usi: 'U1' });
    expect(plan(snapshot, after).identities).toEqual([]);

    expect(plan(rekeyed(snapshot, 'S1', 'S999', { extra: { usi: 'U1' } }), after).rekeyPeople).toHaveLength(1);
  });

  it('a suspended person who comes back under a new SMS id is re-keyed and reactivated', () => {
    const { snapshot, applied } = appliedSchool({ S1: { usi: 'U1' } });
    const gone = structuredClone(snapshot);
    gone.people = gone.people.filter((p) => p.smsId !== 'S1');
    gone.enrolments = gone.enrolments.filter((e) => e.personSmsId !== 'S1');
    const left = simulateApply(applied, plan(gone, applied));
    expect(left.people.S1?.suspended).toBe(true);

    const p = plan(rekeyed(snapshot, 'S1', 'S999', { extra: { usi: 'U1' } }), left);
    expect(p.rekeyPeople[0]?.record).toMatchObject({ idnumber: 'S999', suspended: false });
    expect(p.createUsers).toEqual([]);
  });

  it('a re-key the LMS refuses leaves everything as it was; what waits on it is not recorded', () => {
    const { snapshot, applied } = appliedSchool({ S1: { usi: 'U1' } });
    const next = rekeyed(snapshot, 'S1', 'S999', { extra: { usi: 'U1' } });
    next.enrolments.find((e) => e.personSmsId === 'S999' && e.courseSmsId === 'C-ENG')!.startDate = '2026-03-01';
    const p = plan(next, applied);
    expect(p.enrol.map((op) => op.record.userId)).toEqual([{ smsPersonId: 'S999' }]);

    const after = simulateApply(applied, p, [{ kind: 'rekeyPeople', key: 'S999' }]);
    expect(after).toEqual(applied);
  });
});

/** C-MATH comes back as C-MATH2 with the code MATH102: the same name and teacher. */
function recoded(snapshot: Snapshot, changes: { name?: string; teacher?: string } = {}): Snapshot {
  const next = structuredClone(snapshot);
  next.courses = next.courses.map((c) =>
    c.smsId === 'C-MATH' ? { ...c, smsId: 'C-MATH2', code: 'MATH102', name: changes.name ?? c.name } : c,
  );
  next.groups = next.groups.map((g) => (g.courseSmsId === 'C-MATH' ? { ...g, courseSmsId: 'C-MATH2' } : g));
  next.enrolments = next.enrolments.map((e) => (e.courseSmsId === 'C-MATH' ? { ...e, courseSmsId: 'C-MATH2' } : e));
  if (changes.teacher) {
    next.people.push({ ...next.people.find((p) => p.smsId === 'T1')!, smsId: 'T2', username: 'other', email: '' });
    next.enrolments = next.enrolments.map((e) =>
      e.courseSmsId === 'C-MATH2' && e.personSmsId === 'T1' ? { ...e, personSmsId: 'T2' } : e,
    );
  }
  return next;
}

describe('re-keyed courses', () => {
  it('a course code that changes while its name and teacher stay: the same LMS course, nothing re-enrolled', () => {
    const { snapshot, applied } = appliedSchool({});
    const p = plan(recoded(snapshot), applied);
    expect(nonZeroCounts(p)).toEqual({ rekeyCourses: 1 });
    expect(p.rekeyCourses[0]).toMatchObject({
      key: 'C-MATH2',
      from: 'C-MATH',
      lmsId: 501,
      record: { id: 501, shortname: 'MATH102', idnumber: 'MATH102' },
    });
    expect(describePlan(p)).toContain('1 course re-keyed: MATH101 → MATH102 (same name and teachers)');
    const safety = assessRemovals(p, countActive(applied));
    expect(safety.held).toBe(true);
    expect(safety.message).toContain('MATH101 → MATH102');
    expect(removalKeys(p)).toEqual(['c:C-MATH>C-MATH2']);

    const after = simulateApply(applied, p);
    expect(after.courses['C-MATH']).toBeUndefined();
    expect(after.links.courses['C-MATH2']).toBe(501);
    expect(after.enrolments[enrolmentKey('S1', 'C-MATH2')]).toMatchObject({ course: 'C-MATH2' });
    expect(after.groups['G-MATH-A']?.course).toBe('C-MATH2');
    expect(plan(recoded(snapshot), after).counts.total).toBe(0);
  });

  it('another teacher or another name is not the same course', () => {
    const { snapshot, applied } = appliedSchool({});
    expect(plan(recoded(snapshot, { teacher: 'T2' }), applied).rekeyCourses).toEqual([]);
    const renamed = plan(recoded(snapshot, { name: 'Statistics' }), applied);
    expect(renamed.rekeyCourses).toEqual([]);
    expect(renamed.unenrol.length + renamed.suspendEnrolments.length).toBeGreaterThan(0);
  });
});
