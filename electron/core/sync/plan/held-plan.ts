import { createHash } from 'node:crypto';
import type { HeldPlan } from '../../model';
import { rekeyedState, type AppliedState } from './applied-state';
import { REKEY_EVIDENCE_WORDS, type UploadPlan } from './operations';
import type { CourseRemovalCheck } from './safety';
import { parentRemovalKeys } from './parents';

const MAX_SAMPLES = 50;
/** Students named per course in the review (the counts are always whole). */
const MAX_NAMED_PER_COURSE = 50;
/** Courses kept in the review: a truncated export can touch every course of a large school. */
const MAX_COURSES = 200;

/**
 * Identifies exactly which removals a plan makes: the same SMS data gives the same fingerprint, so
 * an approval applies to the removals the admin reviewed and to nothing else.
 */
export function removalFingerprint(plan: UploadPlan): string {
  return createHash('sha256').update(removalKeys(plan).join('\n')).digest('hex');
}

/**
 * Every removal the plan makes, sorted: `u:` suspend user, `s:` suspend enrolment, `e:` unenrol — and
 * `r:old>new` per re-key, so an approval covers exactly the re-keys the admin confirmed.
 */
export function removalKeys(plan: UploadPlan): string[] {
  return [
    ...plan.rekeyPeople.map((op) => `r:${op.from}>${op.key}`),
    ...plan.rekeyCourses.map((op) => `c:${op.from}>${op.key}`),
    ...plan.suspendUsers.map((op) => `u:${op.key}`),
    ...plan.suspendEnrolments.map((op) => `s:${op.key}`),
    ...plan.unenrol.map((op) => `e:${op.key}`),
    ...plan.removeCohortMembers.map((op) => `m:${op.key}`),
    ...parentRemovalKeys(plan),
  ].sort();
}

/**
 * What the admin reviews: removals per kind, the first ones by name, and — given the safety rail's
 * per-course assessment and the applied state (for names) — the students removed from each course.
 */
export function heldPlanDetails(
  plan: UploadPlan,
  byCourse?: { courses: readonly CourseRemovalCheck[]; applied: AppliedState },
): HeldPlan['details'] {
  const samples: HeldPlan['details']['samples'] = [];
  // Names by the state as re-keyed: a re-keyed person's removals are keyed by their new SMS id.
  if (byCourse && plan.rekeyPeople.length + plan.rekeyCourses.length > 0) {
    const moved = rekeyedState(
      byCourse.applied,
      new Map(plan.rekeyPeople.map((op) => [op.from, op.key])),
      new Map(plan.rekeyCourses.map((op) => [op.from, op.key])),
    );
    byCourse = { ...byCourse, applied: moved };
  }
  // With the applied state, enrolment removals read as people and courses rather than SMS keys.
  const person = (key: string) => (byCourse ? personName(byCourse.applied, key) : key);
  const courseLabels = new Map(byCourse?.courses.map((c) => [c.course, c.label]));
  const course = (key: string) => courseLabels.get(key) ?? key;
  // Re-keys first: each one is a decision the admin confirms by name (the same account for a new SMS id).
  for (const op of plan.rekeyPeople) {
    if (samples.length >= MAX_SAMPLES) break;
    const p = op.applied;
    samples.push({
      kind: 'rekey-person',
      key: op.key,
      label: `${p.firstname} ${p.lastname} (${p.username}): SMS id ${op.from} → ${op.key}, ${REKEY_EVIDENCE_WORDS[op.evidence]}`,
    });
  }
  for (const op of plan.rekeyCourses) {
    if (samples.length >= MAX_SAMPLES) break;
    samples.push({
      kind: 'rekey-course',
      key: op.key,
      label: `${op.applied.fullname}: code ${op.fromCode} → ${op.applied.shortname}, same name and teachers`,
    });
  }
  for (const op of plan.suspendUsers) {
    if (samples.length >= MAX_SAMPLES) break;
    const p = op.applied;
    samples.push({ kind: 'suspend-user', key: op.key, label: `${p.firstname} ${p.lastname} (${p.username})` });
  }
  for (const op of plan.unenrol) {
    if (samples.length >= MAX_SAMPLES) break;
    samples.push({ kind: 'unenrol', key: op.key, label: `${person(op.person)} from ${course(op.course)}` });
  }
  for (const op of plan.suspendEnrolments) {
    if (samples.length >= MAX_SAMPLES) break;
    const { applied } = op;
    samples.push({
      kind: 'suspend-enrolment',
      key: op.key,
      label: `${person(applied.person)} in ${course(applied.course)}`,
    });
  }
  return {
    counts: {
      ...(plan.rekeyPeople.length > 0 ? { rekeyPeople: plan.rekeyPeople.length } : {}),
      ...(plan.rekeyCourses.length > 0 ? { rekeyCourses: plan.rekeyCourses.length } : {}),
      suspendUsers: plan.suspendUsers.length,
      suspendEnrolments: plan.suspendEnrolments.length,
      unenrol: plan.unenrol.length,
      ...(plan.removeCohortMembers.length > 0 ? { removeCohortMembers: plan.removeCohortMembers.length } : {}),
      ...(plan.parents && plan.parents.unassignParentRoles.length > 0
        ? { unassignParentRoles: plan.parents.unassignParentRoles.length }
        : {}),
    },
    samples,
    courses: byCourse ? courseGroups(byCourse.courses, byCourse.applied) : [],
  };
}

/** "Aroha Ngata (angata)", as the LMS account was last written; the SMS key when unknown. */
function personName(applied: AppliedState, key: string): string {
  const p = applied.people[key];
  return p ? `${p.firstname} ${p.lastname} (${p.username})` : key;
}

function courseGroups(courses: readonly CourseRemovalCheck[], applied: AppliedState): HeldPlan['details']['courses'] {
  const name = (key: string) => personName(applied, key);
  return courses.slice(0, MAX_COURSES).map((c) => ({
    course: c.course,
    label: c.label,
    removals: c.removals,
    active: c.active,
    exceeded: c.exceeded,
    students: c.students
      .map(name)
      .sort((a, b) => a.localeCompare(b))
      .slice(0, MAX_NAMED_PER_COURSE),
  }));
}
