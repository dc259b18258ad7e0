// Test data for the planner's tests (not a test itself): a tiny school, mappings and a simulated apply.
import { MappingSchema, type LmsCourse, type Mapping, type Snapshot } from '../core/model';
import { applyPlanToState } from '../core/sync/plan/apply-to-state';
import { emptyAppliedState, type AppliedState } from '../core/sync/plan/applied-state';
import { OP_KINDS, type OpKind, type UploadPlan } from '../core/sync/plan/operations';
import type { PlanInput } from '../core/sync/plan/plan-input';
import { planUpload } from '../core/sync/plan/plan-upload';
import { makeSnapshot } from './synthetic-snapshot';

export const CONNECTION = 'lms-1';

export function mapping(overrides: Partial<Mapping> = {}): Mapping {
  return MappingSchema.parse({ ...overrides });
}

/** Three students and a teacher in two courses, each course with one class. */
export function school(): Snapshot {
  return {
    people: [
      {
        smsId: 'S1',
        role: 'student',
        givenName: 'Aroha',
        familyName: 'Ngata',
        username: 'angata',
        email: 'aroha@school.nz',
        active: true,
      },
      {
        smsId: 'S2',
        role: 'student',
        givenName: 'Ben',
        familyName: 'Lee',
        username: 'blee',
        email: 'ben@school.nz',
        active: true,
      },
      {
        smsId: 'S3',
        role: 'student',
        givenName: 'Chloé',
        familyName: 'Martin',
        username: 'cmartin',
        email: 'chloe@school.nz',
        active: true,
      },
      {
        smsId: 'T1',
        role: 'staff',
        givenName: 'Dana',
        familyName: 'Wu',
        username: 'dwu',
        email: 'dana@school.nz',
        active: true,
      },
    ],
    courses: [
      { smsId: 'C-MATH', code: 'MATH101', name: 'Mathematics', startDate: '2026-02-02', endDate: '2026-12-11' },
      { smsId: 'C-ENG', code: 'ENG101', name: 'English' },
    ],
    groups: [
      { smsId: 'G-MATH-A', courseSmsId: 'C-MATH', name: 'Maths A' },
      { smsId: 'G-ENG-A', courseSmsId: 'C-ENG', name: 'English A' },
    ],
    enrolments: [
      {
        personSmsId: 'S1',
        courseSmsId: 'C-MATH',
        groupSmsIds: ['G-MATH-A'],
        role: 'student',
        active: true,
        startDate: '2026-02-02',
      },
      { personSmsId: 'S1', courseSmsId: 'C-ENG', groupSmsIds: ['G-ENG-A'], role: 'student', active: true },
      { personSmsId: 'S2', courseSmsId: 'C-MATH', groupSmsIds: ['G-MATH-A'], role: 'student', active: true },
      { personSmsId: 'S3', courseSmsId: 'C-ENG', groupSmsIds: ['G-ENG-A'], role: 'student', active: true },
      { personSmsId: 'T1', courseSmsId: 'C-MATH', role: 'teacher', active: true },
      { personSmsId: 'T1', courseSmsId: 'C-ENG', role: 'teacher', active: true },
    ],
  };
}

export function lmsCourse(
  lmsId: number,
  code: string,
  state: LmsCourse['state'],
  by: 'idnumber' | 'shortname' = 'idnumber',
): LmsCourse {
  return {
    connectionId: CONNECTION,
    lmsId,
    shortname: by === 'shortname' ? code : `short-${code}`,
    fullname: `LMS ${code}`,
    idnumber: by === 'idnumber' ? code : '',
    state,
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-01T00:00:00.000Z',
  };
}

/** Both school courses exist in the LMS and are Open. */
export function openCourses(): LmsCourse[] {
  return [lmsCourse(501, 'MATH101', 'Open'), lmsCourse(502, 'ENG101', 'Open')];
}

/**
 * A plan input for the tiny school's first upload to CONNECTION (default mapping, both courses Open,
 * nothing applied yet), with `extra` overriding any part of it.
 */
export function planInput(extra: Partial<PlanInput> = {}): PlanInput {
  return {
    connectionId: CONNECTION,
    snapshot: school(),
    mapping: mapping(),
    lmsCourses: openCourses(),
    applied: emptyAppliedState(),
    ...extra,
  };
}

/** Plans `snapshot` with planInput's defaults (`extra` overrides them, e.g. `applied` or `mapping`). */
export function planSchool(snapshot: Snapshot = school(), extra: Partial<PlanInput> = {}): UploadPlan {
  return planUpload(planInput({ snapshot, ...extra }));
}

/** Plans `snapshot` from nothing applied and simulates applying it all, as a first upload would. */
export function firstUpload(
  snapshot: Snapshot = school(),
  extra: Omit<Partial<PlanInput>, 'applied'> = {},
): AppliedState {
  return simulateApply(emptyAppliedState(), planSchool(snapshot, extra));
}

/**
 * What the apply step would learn from a fake LMS: an id for every user, course and group the plan
 * creates (from `firstId` up), except for the operations listed as failed.
 */
export function simulateApply(
  state: AppliedState,
  plan: UploadPlan,
  failed: { kind: OpKind; key: string }[] = [],
  firstId = 9000,
): AppliedState {
  let next = firstId;
  const isFailed = (kind: OpKind, key: string) => failed.some((f) => f.kind === kind && f.key === key);
  const people = new Map<string, number>();
  const courses = new Map<string, number>();
  const groups = new Map<string, number>();
  for (const op of plan.createUsers) if (!isFailed('createUsers', op.key)) people.set(op.key, next++);
  for (const op of plan.createCourses) if (!isFailed('createCourses', op.key)) courses.set(op.key, next++);
  for (const op of plan.createGroups) if (!isFailed('createGroups', op.key)) groups.set(op.key, next++);
  return applyPlanToState(state, plan, { people, courses, groups }, { failed });
}

/** The number of operations of each kind that has any, for compact assertions. */
export function nonZeroCounts(plan: UploadPlan): Partial<Record<OpKind, number>> {
  return Object.fromEntries(OP_KINDS.filter((k) => plan[k].length > 0).map((k) => [k, plan[k].length]));
}

/** A generated school: `students` students, `courses` Open courses with one class each, `perStudent` enrolments each. */
export function generatedSchool(
  students: number,
  courses: number,
  perStudent: number,
): { snapshot: Snapshot; lmsCourses: LmsCourse[] } {
  const snapshot = makeSnapshot(students, courses, perStudent);
  const lmsCourses = snapshot.courses.map((c, i) => lmsCourse(10_000 + i, c.code, 'Open'));
  return { snapshot, lmsCourses };
}
