import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Mapping, type Snapshot } from '../../model';
import { countActive, emptyAppliedState, type AppliedState } from './applied-state';
import { planUpload } from './plan-upload';
import { assessRemovals, DEFAULT_SAFETY_LIMITS, type SafetyLimits } from './safety';
import { CONNECTION, generatedSchool, lmsCourse, mapping, simulateApply } from '../../../test-support/plan-fixtures';

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

describe('assessRemovals per course (a class vanishing)', () => {
  // The school: 1,200 students, 3,600 enrolments in 40 courses of 90, and three small classes
  // beside them — Year 10 Science (28 students), Year 13 Latin (4) and Year 12 Music (10).
  const SMALL = [
    { smsId: 'C-10SCI', code: '10SCI', name: 'Year 10 Science', size: 28 },
    { smsId: 'C-13LAT', code: '13LAT', name: 'Year 13 Latin', size: 4 },
    { smsId: 'C-12MUS', code: '12MUS', name: 'Year 12 Music', size: 10 },
  ];
  const small = SMALL.map((c, n) => ({ ...c, students: full.people.slice(100 * n, 100 * n + c.size) }));
  const school: Snapshot = {
    ...full,
    courses: [...full.courses, ...SMALL.map(({ smsId, code, name }) => ({ smsId, code, name }))],
    enrolments: [
      ...full.enrolments,
      ...small.flatMap((c) =>
        c.students.map((p) => ({ personSmsId: p.smsId, courseSmsId: c.smsId, role: 'student', active: true })),
      ),
    ],
  };
  const schoolCourses = [...lmsCourses, ...SMALL.map((c, n) => lmsCourse(20_000 + n, c.code, 'Open'))];
  const plan = (snapshot: Snapshot, applied: AppliedState, removalPolicy: Mapping['removalPolicy']) =>
    planUpload({
      connectionId: CONNECTION,
      snapshot,
      mapping: mapping({ removalPolicy }),
      lmsCourses: schoolCourses,
      applied,
    });
  const appliedSchool = (removalPolicy: Mapping['removalPolicy']) =>
    simulateApply(emptyAppliedState(), plan(school, emptyAppliedState(), removalPolicy));
  /** The next export without the first `n` students of a small course in it (the students stay). */
  const withoutClass = (course: string, n = Infinity): Snapshot => {
    const gone = new Set(
      small
        .find((c) => c.smsId === course)!
        .students.slice(0, n)
        .map((p) => p.smsId),
    );
    return {
      ...school,
      enrolments: school.enrolments.filter((e) => !(e.courseSmsId === course && gone.has(e.personSmsId))),
    };
  };
  const assess = (
    snapshot: Snapshot,
    removalPolicy: Mapping['removalPolicy'] = 'unenrol',
    limits: Partial<SafetyLimits> = {},
  ) => {
    const applied = appliedSchool(removalPolicy);
    const p = plan(snapshot, applied, removalPolicy);
    return {
      plan: p,
      verdict: assessRemovals(
        p,
        countActive(applied),
        { ...DEFAULT_SAFETY_LIMITS, ...limits },
        { applied, courses: snapshot.courses },
      ),
    };
  };

  it('holds 28 of 28 unenrolments in one course although the school-wide check lets them through', () => {
    const { plan: p, verdict } = assess(withoutClass('C-10SCI'));
    expect(p.unenrol).toHaveLength(28);
    expect(verdict.checks.every((c) => !c.exceeded)).toBe(true);
    expect(verdict.held).toBe(true);
    expect(verdict.message).toBe(
      'This upload would take more than half of the students out of a course — Year 10 Science (10SCI): 28 of 28 students. Review and approve it, or fix the SMS export.',
    );
    expect(verdict.courses).toEqual([
      {
        course: 'C-10SCI',
        label: 'Year 10 Science (10SCI)',
        removals: 28,
        active: 28,
        percent: 100,
        exceeded: true,
        students: small[0]!.students.map((s) => s.smsId),
      },
    ]);
  });

  it('holds a class whose enrolments are suspended (the default removal policy) the same way', () => {
    const { plan: p, verdict } = assess(withoutClass('C-10SCI'), 'suspend');
    expect(p.suspendEnrolments).toHaveLength(28);
    expect(verdict.held).toBe(true);
    expect(verdict.message).toContain('Year 10 Science (10SCI): 28 of 28 students');
  });

  it('counts students who leave the school (suspended as users) out of each of their courses', () => {
    // Six of Year 12 Music's ten leave: 6 suspensions in 1,200 are ordinary, 6 of 10 in one class are not.
    const gone = new Set(small[2]!.students.slice(0, 6).map((p) => p.smsId));
    const next: Snapshot = {
      ...school,
      people: school.people.filter((p) => !gone.has(p.smsId)),
      enrolments: school.enrolments.filter((e) => !gone.has(e.personSmsId)),
    };
    const { plan: p, verdict } = assess(next, 'suspend');
    expect(p.suspendUsers).toHaveLength(6);
    expect(verdict.checks.every((c) => !c.exceeded)).toBe(true);
    expect(verdict.held).toBe(true);
    expect(verdict.courses.filter((c) => c.exceeded)).toMatchObject([
      { label: 'Year 12 Music (12MUS)', removals: 6, active: 10, percent: 60 },
    ]);
    // Their other courses each lose a few of 90: listed for the review, not a reason to hold.
    expect(verdict.courses.filter((c) => !c.exceeded).length).toBeGreaterThan(0);
    expect(verdict.courses.filter((c) => !c.exceeded).every((c) => c.active === 90)).toBe(true);
  });

  it('does not hold 4 of 4 (fewer than the minimum), 3 of 10, or exactly half', () => {
    expect(assess(withoutClass('C-13LAT')).verdict).toMatchObject({ held: false, message: null });
    expect(assess(withoutClass('C-13LAT')).verdict.courses).toMatchObject([
      { label: 'Year 13 Latin (13LAT)', removals: 4, active: 4, exceeded: false },
    ]);
    expect(assess(withoutClass('C-12MUS', 3)).verdict).toMatchObject({ held: false, message: null });
    expect(assess(withoutClass('C-12MUS', 5)).verdict.held).toBe(false);
    expect(assess(withoutClass('C-12MUS', 6)).verdict.held).toBe(true);
  });

  it('respects the settings: the share and the minimum', () => {
    expect(assess(withoutClass('C-12MUS', 6), 'unenrol', { maxCourseRemovalPercent: 60 }).verdict.held).toBe(false);
    expect(assess(withoutClass('C-12MUS', 7), 'unenrol', { maxCourseRemovalPercent: 60 }).verdict.message).toContain(
      'more than 60% of the students out of a course — Year 12 Music (12MUS): 7 of 10 students.',
    );
    expect(
      assess(withoutClass('C-12MUS', 3), 'unenrol', { maxCourseRemovalPercent: 20, minCourseRemovals: 3 }).verdict.held,
    ).toBe(true);
    expect(assess(withoutClass('C-13LAT'), 'unenrol', { minCourseRemovals: 4 }).verdict.held).toBe(true);
    expect(assess(withoutClass('C-10SCI'), 'unenrol', { minCourseRemovals: 29 }).verdict.held).toBe(false);
    // 100 % turns the per-course check off: no plan removes more than all of a class.
    expect(assess(withoutClass('C-10SCI'), 'unenrol', { maxCourseRemovalPercent: 100 }).verdict.held).toBe(false);
  });

  it('names every course it holds for, and the population sentence first when both apply', () => {
    const next = withoutClass('C-10SCI');
    const music = new Set(small[2]!.students.map((p) => p.smsId));
    next.enrolments = next.enrolments.filter((e) => !(e.courseSmsId === 'C-12MUS' && music.has(e.personSmsId)));
    const { verdict } = assess(next, 'unenrol', { maxRemovalCount: 30 });
    expect(verdict.message).toBe(
      'This upload would remove 38 of 3,642 enrolments (1%) — more than the limit of 30. This upload would take more than half of the students out of 2 courses — Year 10 Science (10SCI): 28 of 28 students; Year 12 Music (12MUS): 10 of 10 students. Review and approve it, or fix the SMS export.',
    );
  });

  it('counts students only: a teacher leaving a class is not a class vanishing', () => {
    const withTeachers: Snapshot = {
      ...school,
      people: [
        ...school.people,
        ...Array.from({ length: 6 }, (_, n) => ({
          smsId: `T${n}`,
          role: 'staff' as const,
          givenName: 'Tina',
          familyName: `Teacher${n}`,
          username: `tteacher${n}`,
          email: `t${n}@school.example`,
          active: true,
        })),
      ],
      enrolments: [
        ...school.enrolments,
        ...Array.from({ length: 6 }, (_, n) => ({
          personSmsId: `T${n}`,
          courseSmsId: 'C-13LAT',
          role: 'teacher',
          active: true,
        })),
      ],
    };
    const applied = simulateApply(emptyAppliedState(), plan(withTeachers, emptyAppliedState(), 'unenrol'));
    const next = { ...withTeachers, enrolments: withTeachers.enrolments.filter((e) => !e.personSmsId.startsWith('T')) };
    const p = plan(next, applied, 'unenrol');
    expect(p.unenrol).toHaveLength(6);
    const verdict = assessRemovals(p, countActive(applied), DEFAULT_SAFETY_LIMITS, { applied, courses: next.courses });
    expect(verdict).toMatchObject({ held: false, courses: [] });
  });

  it('the defaults are the settings’ defaults', () => {
    expect(DEFAULT_SETTINGS.safety).toEqual(DEFAULT_SAFETY_LIMITS);
    expect(DEFAULT_SAFETY_LIMITS).toMatchObject({ maxCourseRemovalPercent: 50, minCourseRemovals: 5 });
  });
});
