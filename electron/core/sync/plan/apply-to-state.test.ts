import { describe, expect, it } from 'vitest';
import { applyPlanToState } from './apply-to-state';
import { emptyAppliedState, enrolmentKey, membershipKey } from './applied-state';
import { planUpload } from './plan-upload';
import { firstUpload, nonZeroCounts, planInput, school, simulateApply } from '../../../test-support/plan-fixtures';

describe('applyPlanToState', () => {
  it('records every write and every learnt id, without changing the input state', () => {
    const before = emptyAppliedState();
    const plan = planUpload(planInput({ applied: before }));
    const after = simulateApply(before, plan, [], 100);
    expect(before).toEqual(emptyAppliedState());
    expect(after.links).toEqual({
      people: { S1: 100, S2: 101, S3: 102, T1: 103 },
      courses: { 'C-MATH': 501, 'C-ENG': 502 },
      groups: { 'G-MATH-A': 104, 'G-ENG-A': 105 },
    });
    expect(after.people.S3).toEqual({
      role: 'student',
      username: 'cmartin',
      firstname: 'Chloé',
      lastname: 'Martin',
      email: 'chloe@school.nz',
      idnumber: 'S3',
      suspended: false,
    });
    expect(Object.keys(after.enrolments)).toHaveLength(6);
    expect(after.memberships[membershipKey('G-ENG-A', 'S3')]).toEqual({
      group: 'G-ENG-A',
      person: 'S3',
      course: 'C-ENG',
    });
    expect(after.courses['C-MATH']).toMatchObject({ origin: 'matched', fullname: 'Mathematics' });
  });

  it('a failed create is retried by the next plan, with the records that depended on it', () => {
    const plan = planUpload(planInput());
    const partial = simulateApply(emptyAppliedState(), plan, [{ kind: 'createUsers', key: 'S3' }]);
    // S3's enrolment and membership could not be made without S3's user: they are not recorded either.
    expect(partial.people.S3).toBeUndefined();
    expect(partial.enrolments[enrolmentKey('S3', 'C-ENG')]).toBeUndefined();
    expect(partial.memberships[membershipKey('G-ENG-A', 'S3')]).toBeUndefined();
    const retry = planUpload(planInput({ applied: partial }));
    expect(nonZeroCounts(retry)).toEqual({ createUsers: 1, enrol: 1, addGroupMembers: 1 });
    expect(planUpload(planInput({ applied: simulateApply(partial, retry) })).counts.total).toBe(0);
  });

  it('a failed update keeps the old values, so the update is planned again', () => {
    const applied = firstUpload();
    const changed = school();
    changed.people[0]!.givenName = 'Arohanui';
    const plan = planUpload(planInput({ snapshot: changed, applied }));
    const after = applyPlanToState(applied, plan, {}, { failed: [{ kind: 'updateUsers', key: 'S1' }] });
    expect(after.people.S1?.firstname).toBe('Aroha');
    expect(planUpload(planInput({ snapshot: changed, applied: after })).updateUsers).toHaveLength(1);
  });

  it('accepts learnt ids as plain records as well as maps', () => {
    const plan = planUpload(planInput());
    const ids = { people: { S1: 1, S2: 2, S3: 3, T1: 4 }, groups: { 'G-MATH-A': 5, 'G-ENG-A': 6 } };
    const after = applyPlanToState(emptyAppliedState(), plan, ids);
    expect(after.links.people).toEqual(ids.people);
    expect(planUpload(planInput({ applied: after })).counts.total).toBe(0);
  });
});
