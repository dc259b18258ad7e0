import { describe, expect, it } from 'vitest';
import type { Mapping, Snapshot } from '../../model';
import { countActive, emptyAppliedState, type AppliedState } from './applied-state';
import { planUpload } from './plan-upload';
import { assessRemovals } from './safety';
import { CONNECTION, generatedSchool, mapping, simulateApply } from './test-fixtures';

const { snapshot: full, lmsCourses } = generatedSchool(1200, 40, 3);

function planFor(snapshot: Snapshot, applied: AppliedState, removalPolicy: Mapping['removalPolicy'] = 'suspend') {
  return planUpload({ connectionId: CONNECTION, snapshot, mapping: mapping({ removalPolicy }), lmsCourses, applied });
}

function appliedFull(removalPolicy: Mapping['removalPolicy'] = 'suspend'): AppliedState {
  return simulateApply(emptyAppliedState(), planFor(full, emptyAppliedState(), removalPolicy));
}

/** The school with only the first `keep` students (a truncated export loses the tail). */
function truncated(keep: number): Snapshot {
  const kept = new Set(full.people.slice(0, keep).map((p) => p.smsId));
  return {
    ...full,
    people: full.people.filter((p) => kept.has(p.smsId)),
    enrolments: full.enrolments.filter((e) => kept.has(e.personSmsId)),
  };
}

describe('assessRemovals (the safety rail)', () => {
  it('holds a truncated SMS file (half the students missing), saying why', () => {
    const applied = appliedFull();
    const plan = planFor(truncated(600), applied);
    expect(plan.suspendUsers).toHaveLength(600);
    const verdict = assessRemovals(plan, countActive(applied), { maxRemovalPercent: 10, maxRemovalCount: 50 });
    expect(verdict.held).toBe(true);
    expect(verdict.message).toBe(
      'This upload would suspend 600 of 1,200 students (50%) — more than the limit of 50. Review and approve it, or fix the SMS export.',
    );
    expect(verdict.checks.find((c) => c.population === 'students')).toEqual({
      population: 'students',
      removals: 600,
      active: 1200,
      percent: 50,
      limit: 50,
      exceeded: true,
    });
  });

  it('names the percentage limit when it is the smaller one', () => {
    const applied = appliedFull();
    const plan = planFor(truncated(1020), applied);
    const verdict = assessRemovals(plan, countActive(applied), { maxRemovalPercent: 10, maxRemovalCount: 500 });
    expect(verdict.message).toBe(
      'This upload would suspend 180 of 1,200 students (15%) — more than the 10% limit. Review and approve it, or fix the SMS export.',
    );
  });

  it('lets ordinary departures through', () => {
    const applied = appliedFull();
    const plan = planFor(truncated(1170), applied);
    const verdict = assessRemovals(plan, countActive(applied), { maxRemovalPercent: 10, maxRemovalCount: 50 });
    expect(plan.suspendUsers).toHaveLength(30);
    expect(verdict).toMatchObject({ held: false, message: null });
  });

  it('counts at the limit as allowed and one more as held', () => {
    const applied = appliedFull();
    const limits = { maxRemovalPercent: 10, maxRemovalCount: 50 };
    expect(assessRemovals(planFor(truncated(1150), applied), countActive(applied), limits).held).toBe(false);
    expect(assessRemovals(planFor(truncated(1149), applied), countActive(applied), limits).held).toBe(true);
  });

  it('holds mass unenrolments under the unenrol policy', () => {
    const applied = appliedFull('unenrol');
    const plan = planFor(truncated(600), applied, 'unenrol');
    const verdict = assessRemovals(plan, countActive(applied));
    expect(verdict.held).toBe(true);
    expect(verdict.message).toContain('would remove 1,800 of 3,600 enrolments (50%)');
  });

  it('a first upload removes nothing and is never held', () => {
    const plan = planFor(full, emptyAppliedState());
    expect(assessRemovals(plan, countActive(emptyAppliedState())).held).toBe(false);
  });
});

describe('countActive', () => {
  it('counts students, staff and enrolments that are not suspended', () => {
    const applied = appliedFull();
    expect(countActive(applied)).toEqual({ students: 1200, staff: 0, enrolments: 3600 });
    const after = simulateApply(applied, planFor(truncated(1190), applied));
    expect(countActive(after)).toEqual({ students: 1190, staff: 0, enrolments: 3600 });
  });
});
