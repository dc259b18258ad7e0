import type { Course } from '../../model';
import { rekeyedState, type ActiveCounts, type AppliedEnrolment, type AppliedState } from './applied-state';
import type { RekeyEvidence, UploadPlan } from './operations';
import { courseRekeySentence, rekeySentence } from './preview';
import type { ActivePause } from './lifecycle';
import { withoutLeftAlone, type LeaveAloneMarks } from './leave-alone';
import { countActive } from './applied-state';

/** settings.safety */
export interface SafetyLimits {
  maxRemovalPercent: number;
  maxRemovalCount: number;
  /** Per course: a plan taking more than this share of a course's active students out of it is held… */
  maxCourseRemovalPercent?: number;
  /** …when that is at least this many students (so a class of three losing two is not a hold). */
  minCourseRemovals?: number;
}
export const DEFAULT_SAFETY_LIMITS: Required<SafetyLimits> = {
  maxRemovalPercent: 10,
  maxRemovalCount: 50,
  maxCourseRemovalPercent: 50,
  minCourseRemovals: 5,
};

/** 'cohort memberships' only in plans with cohort rules (base: the memberships ClassBridge added). */
/** 'parent roles' only in plans with the parents rule on (base: the parent roles ClassBridge assigned). */
export type RemovalPopulation = 'students' | 'staff' | 'enrolments' | 'cohort memberships' | 'parent roles';

export interface RemovalCheck {
  population: RemovalPopulation;
  /** Suspensions and unenrolments the plan makes in this population. */
  removals: number;
  /** Active records in this population before the plan. */
  active: number;
  /** removals ÷ active, rounded, 0–100. */
  percent: number;
  /** min(maxRemovalPercent % of active, maxRemovalCount): more than this is held. */
  limit: number;
  exceeded: boolean;
}

/** The students a plan takes out of one LMS course (unenrolled, enrolment suspended, or suspended as users). */
export interface CourseRemovalCheck {
  /** The SMS course key. */
  course: string;
  /** The SMS course's name and code, as the admin knows it: "Year 10 Science (10SCI)". */
  label: string;
  /** Active students of the course the plan removes. */
  removals: number;
  /** Active students of the course before the plan (what ClassBridge last applied). */
  active: number;
  /** removals ÷ active, rounded, 0–100. */
  percent: number;
  /** More than maxCourseRemovalPercent % of `active`, and at least minCourseRemovals: held. */
  exceeded: boolean;
  /** The SMS person keys of the students removed. */
  students: string[];
}

/** What the per-course check reads beside the plan: the applied state and the SMS courses (for names). */
export interface CourseContext {
  applied: AppliedState;
  courses: readonly Pick<Course, 'smsId' | 'code' | 'name'>[];
}

/** A person the plan re-keys (old SMS key → new, the same LMS user): always for the admin to confirm. */
export interface RekeyCheck {
  from: string;
  to: string;
  evidence: RekeyEvidence;
  /** The LMS account as ClassBridge last wrote it: "Aroha Ngata (angata)". */
  label: string;
}

export interface RemovalAssessment {
  /** True when the plan must wait for the admin's approval. */
  held: boolean;
  /** Every re-key of the plan: any one holds it (moving an account to another SMS record is the admin's call). */
  rekeys?: RekeyCheck[];
  checks: RemovalCheck[];
  /**
   * Every course the plan takes students out of, the held ones (exceeded) first, then by most removed;
   * empty when assessed without a CourseContext.
   */
  courses: CourseRemovalCheck[];
  /** For the admin, when held; null otherwise. */
  message: string | null;
  /** The rollover pause in force (plan/lifecycle.ts), when one is: any removal is then held. */
  pause?: ActivePause;
  /**
   * Held for the rollover pause alone (no limit exceeded, no re-key): only the removals wait, the rest
   * of the plan (creations, updates, enrolments) is applied (withoutRemovals in plan/lifecycle.ts).
   */
  pauseOnly?: boolean;
}

const number = new Intl.NumberFormat('en');

function sentence(check: RemovalCheck, verb: string, limits: SafetyLimits): string {
  const byPercent = (check.active * limits.maxRemovalPercent) / 100 <= limits.maxRemovalCount;
  const limit = byPercent
    ? `the ${number.format(limits.maxRemovalPercent)}% limit`
    : `the limit of ${number.format(limits.maxRemovalCount)}`;
  return `This upload would ${verb} ${number.format(check.removals)} of ${number.format(check.active)} ${check.population} (${check.percent}%) — more than ${limit}.`;
}

const MAX_NAMED_COURSES = 5;

function plural(n: number, one: string, many: string): string {
  return `${number.format(n)} ${n === 1 ? one : many}`;
}

/** "Year 10 Science (10SCI)": the SMS name and code, as the preview and course list name a course. */
function courseLabel(key: string, names: ReadonlyMap<string, Pick<Course, 'code' | 'name'>>, applied: AppliedState) {
  const sms = names.get(key);
  if (sms) return sms.name && sms.name !== sms.code ? `${sms.name} (${sms.code})` : sms.code;
  // A course gone from the SMS export altogether: what ClassBridge last wrote to the LMS names it.
  const lms = applied.courses[key];
  const code = lms ? lms.idnumber || lms.shortname : '';
  if (lms?.fullname) return code && code !== lms.fullname ? `${lms.fullname} (${code})` : lms.fullname;
  return code || key;
}

/**
 * Per LMS course: the active students (enrolment and user both active, person a student) before the
 * plan, and which of them the plan takes out — unenrolled, enrolment suspended, or suspended as a
 * user (a suspended user can no longer reach any of their courses).
 */
function assessCourses(plan: UploadPlan, context: CourseContext, limits: Required<SafetyLimits>): CourseRemovalCheck[] {
  const { applied } = context;
  const activeStudent = (e: AppliedEnrolment | undefined): e is AppliedEnrolment => {
    if (!e || e.suspended) return false;
    const person = applied.people[e.person];
    return person !== undefined && !person.suspended && person.role === 'student';
  };
  const removed = new Map<string, Set<string>>();
  const remove = (e: AppliedEnrolment) => {
    let students = removed.get(e.course);
    if (!students) removed.set(e.course, (students = new Set()));
    students.add(e.person);
  };
  for (const op of plan.unenrol) {
    const before = applied.enrolments[op.key];
    if (activeStudent(before)) remove(before);
  }
  for (const op of plan.suspendEnrolments) {
    const before = applied.enrolments[op.key];
    if (activeStudent(before)) remove(before);
  }
  const leaving = new Set(plan.suspendUsers.map((op) => op.key));
  const active = new Map<string, number>();
  // for-in: no array of 100,000 [key, value] pairs to allocate.
  for (const key in applied.enrolments) {
    const e = applied.enrolments[key]!;
    if (!activeStudent(e)) continue;
    active.set(e.course, (active.get(e.course) ?? 0) + 1);
    if (leaving.has(e.person)) remove(e);
  }
  const names = new Map(context.courses.map((c) => [c.smsId, c]));
  const checks: CourseRemovalCheck[] = [];
  for (const [course, students] of removed) {
    const base = active.get(course) ?? students.size;
    const count = students.size;
    checks.push({
      course,
      label: courseLabel(course, names, applied),
      removals: count,
      active: base,
      percent: base === 0 ? 100 : Math.round((count / base) * 100),
      exceeded: count >= limits.minCourseRemovals && count > (base * limits.maxCourseRemovalPercent) / 100,
      students: [...students],
    });
  }
  return checks.sort(
    (a, b) => Number(b.exceeded) - Number(a.exceeded) || b.removals - a.removals || a.label.localeCompare(b.label),
  );
}

/** "This upload would take more than half of the students out of 2 courses — A: 28 of 28 students; B: …" */
function courseSentence(exceeded: readonly CourseRemovalCheck[], percent: number): string {
  const share =
    percent === 50 ? 'more than half of the students' : `more than ${number.format(percent)}% of the students`;
  const where = exceeded.length === 1 ? 'a course' : `${number.format(exceeded.length)} courses`;
  const named = exceeded.length > MAX_NAMED_COURSES + 1 ? exceeded.slice(0, MAX_NAMED_COURSES) : exceeded;
  const parts = named.map(
    (c) => `${c.label}: ${number.format(c.removals)} of ${plural(c.active, 'student', 'students')}`,
  );
  const rest = exceeded.length - named.length;
  if (rest > 0) parts.push(`and ${number.format(rest)} more (see the review)`);
  return `This upload would take ${share} out of ${where} — ${parts.join('; ')}.`;
}

/** The re-keyed account as last written (the applied state, when the rail has it), else the new record. */
function accountLabel(op: UploadPlan['rekeyPeople'][number], context: CourseContext | undefined): string {
  const p = context?.applied.people[op.from] ?? op.applied;
  return `${p.firstname} ${p.lastname} (${p.username})`;
}

/**
 * The safety rail: a plan that would suspend or unenrol more than min(maxRemovalPercent % of the
 * active records, maxRemovalCount) in any population (students, staff, enrolments) is held for the
 * admin's approval. Usually the cause is an SMS export that lost records, not real departures.
 * `active` comes from `countActive(appliedState)`.
 *
 * With a `courses` context it also checks each course: a school-wide count lets 28 unenrolments in
 * 3,600 through even when they are the whole of Year 10 Science, so a plan taking more than
 * maxCourseRemovalPercent % of a course's active students out of it (and at least minCourseRemovals)
 * is held too, with the courses named.
 *
 * A plan that re-keys people (a vanished SMS record taken for a new one by USI, NSN or email + date of
 * birth, see people.ts) is held too, whatever its size: the admin confirms that it is the same person.
 */
export function assessRemovals(
  plan: UploadPlan,
  active: ActiveCounts,
  limits: SafetyLimits = DEFAULT_SAFETY_LIMITS,
  courses?: CourseContext,
  /** A rollover pause in force (activeRolloverPause): then any removal at all is held, whatever its size. */
  pause?: ActivePause | null,
): RemovalAssessment {
  const all: Required<SafetyLimits> = {
    ...limits,
    maxCourseRemovalPercent: limits.maxCourseRemovalPercent ?? DEFAULT_SAFETY_LIMITS.maxCourseRemovalPercent,
    minCourseRemovals: limits.minCourseRemovals ?? DEFAULT_SAFETY_LIMITS.minCourseRemovals,
  };
  const suspendedStudents = plan.suspendUsers.filter((op) => op.applied.role === 'student').length;
  const removals: Record<RemovalPopulation, number> = {
    students: suspendedStudents,
    staff: plan.suspendUsers.length - suspendedStudents,
    enrolments: plan.suspendEnrolments.length + plan.unenrol.length,
    'cohort memberships': plan.removeCohortMembers.length,
    'parent roles': plan.parents?.unassignParentRoles.length ?? 0,
  };
  const populations: RemovalPopulation[] = ['students', 'staff', 'enrolments'];
  if (plan.cohortMembers !== undefined) populations.push('cohort memberships');
  if (plan.parents !== undefined) populations.push('parent roles');
  const checks = populations.map((population): RemovalCheck => {
    const count = removals[population];
    const base =
      population === 'cohort memberships'
        ? (plan.cohortMembers ?? 0)
        : population === 'parent roles'
          ? (plan.parents?.activeRoles ?? 0)
          : active[population];
    const limit = Math.min((base * limits.maxRemovalPercent) / 100, limits.maxRemovalCount);
    return {
      population,
      removals: count,
      active: base,
      percent: base === 0 ? (count > 0 ? 100 : 0) : Math.round((count / base) * 100),
      limit,
      exceeded: count > limit,
    };
  });
  const exceeded = checks.filter((c) => c.exceeded);
  // Against the state as re-keyed: a re-keyed person's removals are keyed by their new SMS id.
  const rekeyMap = new Map(plan.rekeyPeople.map((op) => [op.from, op.key]));
  const courseRekeys = new Map(plan.rekeyCourses.map((op) => [op.from, op.key]));
  const courseChecks = courses
    ? assessCourses(plan, { ...courses, applied: rekeyedState(courses.applied, rekeyMap, courseRekeys) }, all)
    : [];
  const exceededCourses = courseChecks.filter((c) => c.exceeded);
  const rekeys = plan.rekeyPeople.map((op): RekeyCheck => ({
    from: op.from,
    to: op.key,
    evidence: op.evidence,
    label: accountLabel(op, courses),
  }));
  const removing =
    removals.students +
    removals.staff +
    removals.enrolments +
    removals['cohort memberships'] +
    removals['parent roles'];
  const paused = pause && removing > 0 ? pause : undefined;
  const withPause = pause ? { pause } : {};
  if (
    exceeded.length === 0 &&
    exceededCourses.length === 0 &&
    rekeys.length === 0 &&
    courseRekeys.size === 0 &&
    !paused
  )
    return { held: false, rekeys, checks, courses: courseChecks, message: null, ...withPause };
  const enrolmentVerb =
    plan.suspendEnrolments.length > 0 && plan.unenrol.length > 0
      ? 'suspend or remove'
      : plan.unenrol.length > 0
        ? 'remove'
        : 'suspend';
  const verb = (c: RemovalCheck) =>
    c.population === 'enrolments'
      ? enrolmentVerb
      : c.population === 'cohort memberships' || c.population === 'parent roles'
        ? 'remove'
        : 'suspend';
  const sentences = exceeded.map((c) => sentence(c, verb(c), limits));
  // Named first: in a pause it is the reason even a single removal waits.
  if (paused) sentences.unshift(pauseSentence(plan, paused));
  if (exceededCourses.length > 0) sentences.push(courseSentence(exceededCourses, all.maxCourseRemovalPercent));
  if (rekeys.length > 0)
    sentences.push(
      `${rekeySentence(plan.rekeyPeople)}: each keeps their LMS account, enrolments and grades under the new SMS id.`,
    );
  if (courseRekeys.size > 0)
    sentences.push(
      `${courseRekeySentence(plan.rekeyCourses)}: each keeps its LMS course, enrolments and grades under the new code.`,
    );
  return {
    held: true,
    rekeys,
    checks,
    courses: courseChecks,
    message: `${sentences.join(' ')} Review and approve it, or fix the SMS export.`,
    ...withPause,
    ...(paused && sentences.length === 1 ? { pauseOnly: true } : {}),
  };
}

/** "Removals held: rollover pause until 2027-02-01 — this upload would suspend 2 people and remove 3 enrolments." */
function pauseSentence(plan: UploadPlan, pause: ActivePause): string {
  const what: string[] = [];
  if (plan.suspendUsers.length > 0) what.push(`suspend ${plural(plan.suspendUsers.length, 'person', 'people')}`);
  const enrolments = plan.suspendEnrolments.length + plan.unenrol.length;
  if (enrolments > 0)
    what.push(`${plan.unenrol.length > 0 ? 'remove' : 'suspend'} ${plural(enrolments, 'enrolment', 'enrolments')}`);
  if (plan.removeCohortMembers.length > 0)
    what.push(`take ${plural(plan.removeCohortMembers.length, 'person', 'people')} out of cohorts`);
  const parentRoles = plan.parents?.unassignParentRoles.length ?? 0;
  if (parentRoles > 0) what.push(`remove ${plural(parentRoles, 'parent role', 'parent roles')}`);
  return `Removals held: ${pause.label} — this upload would ${what.join(' and ')}; during the pause every removal waits for your approval, whatever its size (creations and updates still go through).`;
}

/**
 * The safety rail over one planned upload, as the run (apply/run-upload.ts) and the dry run
 * (upload/preview-upload.ts) both ask it, so the dry run warns of exactly the hold the run makes:
 * the limits are shares of what was applied, with left-alone records out of that base (marking many
 * does not loosen the limits), per course too, and any removal held in a rollover pause.
 */
export function assessUploadRemovals(input: {
  plan: UploadPlan;
  applied: AppliedState;
  leaveAlone: LeaveAloneMarks | undefined;
  limits: SafetyLimits;
  courses: readonly Course[];
  pause: ActivePause | null;
}): RemovalAssessment {
  const base = withoutLeftAlone(input.applied, input.leaveAlone);
  return assessRemovals(
    input.plan,
    countActive(base),
    input.limits,
    { applied: base, courses: input.courses },
    input.pause,
  );
}
