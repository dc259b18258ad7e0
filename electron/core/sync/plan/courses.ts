import type { Course, CourseState, LmsCourse, Mapping } from '../../model';
import { chooseCourseCategory, chooseCourseTemplate, courseTemplateValues } from '../../model';
import type { AppliedCourse, AppliedState } from './applied-state';
import { createDateConverter } from './dates';
import type {
  AdoptedCourse,
  CourseIdRef,
  CreateCourseOp,
  PlanningError,
  RekeyCourseOp,
  SkipReason,
  UpdateCourseOp,
} from './operations';
import type { PlanOptions } from './plan-input';
import { courseNames, type CourseNames } from './templates';

const COURSE_FIELDS = ['fullname', 'shortname', 'idnumber', 'startDate', 'endDate'] as const;

/**
 * Where a course's enrolments go: an Open LMS course (known or being created), or nowhere and why (with
 * the LMS course, when there is one: a Deleted course is still named on what was made in it).
 */
export type CourseTarget = { open: true; ref: CourseIdRef } | { open: false; reason: SkipReason; lmsId?: number };

export interface CoursesPlan {
  rekeyCourses: RekeyCourseOp[];
  /** Old SMS course key → new, per re-keyed course. */
  rekeyed: Map<string, string>;
  createCourses: CreateCourseOp[];
  updateCourses: UpdateCourseOp[];
  adoptedCourses: AdoptedCourse[];
  errors: PlanningError[];
  /** For any SMS course key (in the snapshot or only in the applied state). */
  target(courseSmsId: string): CourseTarget;
}

const NOT_OPEN: Record<Exclude<CourseState, 'Open'>, SkipReason> = {
  New: 'course-new',
  Closed: 'course-closed',
  Deleted: 'course-deleted',
};

/** Index of the LMS courses by the field the mapping matches on; a live course wins over a Deleted one. */
function indexLmsCourses(lmsCourses: readonly LmsCourse[], match: Mapping['courseMatch']) {
  const byId = new Map<number, LmsCourse>();
  const byMatch = new Map<string, LmsCourse>();
  for (const c of lmsCourses) {
    byId.set(c.lmsId, c);
    const value = match === 'idnumber' ? c.idnumber : c.shortname;
    if (value === '') continue;
    const seen = byMatch.get(value);
    if (!seen || (seen.state === 'Deleted' && c.state !== 'Deleted')) byMatch.set(value, c);
  }
  return { byId, byMatch };
}

function duplicateCodeErrors(courses: readonly Course[]): PlanningError[] {
  const byCode = new Map<string, Course[]>();
  for (const c of courses) byCode.set(c.code, [...(byCode.get(c.code) ?? []), c]);
  const errors: PlanningError[] = [];
  for (const [code, list] of byCode) {
    if (list.length < 2) continue;
    for (const c of list) {
      const others = list.filter((o) => o !== c).map((o) => o.smsId);
      errors.push({
        recordKind: 'course',
        recordKey: c.smsId,
        course: code,
        field: 'code',
        message: `The course code "${code}" is used by ${list.map((o) => `${o.smsId} (${o.name})`).join(' and ')}.`,
        fix: 'Give each course its own code in the SMS.',
        related: others,
      });
    }
  }
  return errors;
}

/**
 * Each course's LMS full and short names (the mapping's templates, or the SMS name and code); a course the
 * templates cannot name, or whose templated shortname another course shares (Moodle keeps shortnames
 * unique), gets an error instead and is held back.
 */
function lmsCourseNames(
  courses: readonly Course[],
  mapping: Mapping,
  errors: PlanningError[],
): Map<string, CourseNames> {
  const names = new Map<string, CourseNames>();
  const byShortname = new Map<string, Course[]>();
  for (const c of courses) {
    const r = courseNames(c, mapping);
    if (!r.ok) {
      errors.push(r.error);
      continue;
    }
    names.set(c.smsId, r.names);
    byShortname.set(r.names.shortname, [...(byShortname.get(r.names.shortname) ?? []), c]);
  }
  if (mapping.courseShortnameTemplate === undefined) return names; // codes: duplicateCodeErrors has them
  for (const [shortname, list] of byShortname) {
    if (list.length < 2) continue;
    for (const c of list) {
      names.delete(c.smsId);
      errors.push({
        recordKind: 'course',
        recordKey: c.smsId,
        course: c.code,
        field: 'shortname',
        message: `The course shortname "${shortname}" the template makes would be shared by ${list.map((o) => `${o.code} (${o.name})`).join(' and ')}.`,
        fix: 'Add a field that tells them apart (such as {code}) to the course short name template.',
        related: list.filter((o) => o !== c).map((o) => o.smsId),
      });
    }
  }
  return names;
}

/** The teachers (staff SMS keys) of each course, as the snapshot has them and as last applied. */
export interface CourseTeachers {
  snapshot: ReadonlyMap<string, ReadonlySet<string>>;
  applied: ReadonlyMap<string, ReadonlySet<string>>;
}

/** "mathematics" + the sorted teachers: what must stay for a course whose code changed to be the same course. */
function courseSignature(name: string, teachers: ReadonlySet<string> | undefined): string | undefined {
  const n = name.trim().toLowerCase();
  if (!n || !teachers || teachers.size === 0) return undefined;
  return JSON.stringify([n, ...[...teachers].sort()]);
}

/** Plans course creates and updates and decides, per course, whether enrolments may go into it. */
export function planCourses(
  courses: readonly Course[],
  mapping: Mapping,
  lmsCourses: readonly LmsCourse[],
  applied: AppliedState,
  options: PlanOptions,
  teachers?: CourseTeachers,
): CoursesPlan {
  const plan: Omit<CoursesPlan, 'target'> = {
    rekeyCourses: [],
    rekeyed: new Map(),
    createCourses: [],
    updateCourses: [],
    adoptedCourses: [],
    errors: [],
  };
  const { byId, byMatch } = indexLmsCourses(lmsCourses, mapping.courseMatch);
  const dates = createDateConverter(options.timeZone ?? 'UTC');
  const targets = new Map<string, CourseTarget>();

  /** A course ClassBridge is linked to: its tracked state decides (one it created counts as Open until tracked). */
  const linkedTarget = (key: string, lmsId: number): CourseTarget => {
    const tracked = byId.get(lmsId);
    if (tracked)
      return tracked.state === 'Open'
        ? { open: true, ref: lmsId }
        : { open: false, reason: NOT_OPEN[tracked.state], lmsId };
    return applied.courses[key]?.origin === 'created'
      ? { open: true, ref: lmsId }
      : { open: false, reason: 'course-new' };
  };

  plan.errors.push(...duplicateCodeErrors(courses));
  const namesOf = lmsCourseNames(courses, mapping, plan.errors);
  /** What an unlinked course is matched on: its code as idnumber, or the shortname it would be given. */
  const matchKey = (c: Course) => (mapping.courseMatch === 'shortname' ? namesOf.get(c.smsId)!.shortname : c.code);
  const heldBack = new Set(plan.errors.map((e) => e.recordKey));

  // Re-keys: an applied, linked, Open course gone from the snapshot and a snapshot course the LMS has no
  // course for, with the same name and the same (non-empty) teachers — each the only one on its side.
  const rekeyFor = new Map<string, { from: string; lmsId: number }>();
  if (teachers) {
    const inSnapshot = new Set(courses.map((c) => c.smsId));
    const gone = new Map<string, string[]>();
    for (const key in applied.courses) {
      const lmsId = applied.links.courses[key];
      if (inSnapshot.has(key) || lmsId === undefined || !linkedTarget(key, lmsId).open) continue;
      const sig = courseSignature(applied.courses[key]!.fullname, teachers.applied.get(key));
      if (sig !== undefined) gone.set(sig, [...(gone.get(sig) ?? []), key]);
    }
    if (gone.size > 0) {
      const fresh = new Map<string, string[]>();
      for (const c of courses) {
        if (heldBack.has(c.smsId) || applied.courses[c.smsId] || applied.links.courses[c.smsId] !== undefined) continue;
        if (byMatch.has(matchKey(c))) continue;
        const sig = courseSignature(c.name.trim() || c.code, teachers.snapshot.get(c.smsId));
        if (sig !== undefined && gone.has(sig)) fresh.set(sig, [...(fresh.get(sig) ?? []), c.smsId]);
      }
      for (const [sig, to] of fresh) {
        const from = gone.get(sig)!;
        if (from.length === 1 && to.length === 1)
          rekeyFor.set(to[0]!, { from: from[0]!, lmsId: applied.links.courses[from[0]!]! });
      }
    }
  }

  for (const c of courses) {
    const rekey = rekeyFor.get(c.smsId);
    if (rekey) {
      const before = applied.courses[rekey.from]!;
      const desired: AppliedCourse = {
        origin: before.origin,
        ...namesOf.get(c.smsId)!,
        idnumber: c.code,
        startDate: dates.start(c.startDate),
        endDate: dates.end(c.endDate),
      };
      const changed = COURSE_FIELDS.filter((f) => before[f] !== desired[f]);
      const fields = Object.fromEntries(changed.map((f) => [f, desired[f]]));
      plan.rekeyCourses.push({
        key: c.smsId,
        from: rekey.from,
        fromCode: before.idnumber || before.shortname,
        lmsId: rekey.lmsId,
        changed,
        record: { id: rekey.lmsId, ...fields },
        applied: desired,
      });
      plan.rekeyed.set(rekey.from, c.smsId);
      // A placeholder: what goes into the course waits for the re-key to succeed.
      targets.set(c.smsId, { open: true, ref: { smsCourseId: c.smsId } });
      targets.set(rekey.from, { open: false, reason: 'course-not-in-lms' });
      continue;
    }
    if (heldBack.has(c.smsId)) {
      targets.set(c.smsId, { open: false, reason: 'course-not-in-lms' });
      continue;
    }
    const desired: AppliedCourse = {
      origin: applied.courses[c.smsId]?.origin ?? 'matched',
      ...namesOf.get(c.smsId)!,
      idnumber: c.code,
      startDate: dates.start(c.startDate),
      endDate: dates.end(c.endDate),
    };
    const linked = applied.links.courses[c.smsId];
    const matched = linked === undefined ? byMatch.get(matchKey(c)) : undefined;
    const lmsId = linked ?? matched?.lmsId;

    if (lmsId === undefined) {
      const category = options.allowCourseCreation ? chooseCourseCategory(mapping, courseTemplateValues(c)) : undefined;
      if (!options.allowCourseCreation) {
        targets.set(c.smsId, { open: false, reason: 'course-not-in-lms' });
      } else if (!category) {
        targets.set(c.smsId, { open: false, reason: 'course-not-in-lms' });
        plan.errors.push({
          recordKind: 'course',
          recordKey: c.smsId,
          course: c.code,
          message: `No LMS course matches ${c.code} (${c.name}), and no category is chosen for new courses${mapping.courseCategories?.length ? ' (no category rule matches it)' : ''}.`,
          fix: "Choose a category for new courses in the connection's mapping, or create the course in the LMS.",
        });
      } else {
        const { origin: _origin, startDate, endDate, ...names } = desired;
        const template = chooseCourseTemplate(mapping, courseTemplateValues(c));
        plan.createCourses.push({
          key: c.smsId,
          record: {
            ...names,
            // Rules apply to creates only: an existing course stays in the category it is in.
            categoryId: category.categoryId,
            ...(startDate ? { startDate } : {}),
            ...(endDate ? { endDate } : {}),
          },
          applied: { ...desired, origin: 'created' },
          ...(template ? { template } : {}),
        });
        targets.set(c.smsId, { open: true, ref: { smsCourseId: c.smsId } });
      }
      continue;
    }

    const target = linkedTarget(c.smsId, lmsId);
    targets.set(c.smsId, target);
    if (!target.open) continue; // New, Closed and Deleted courses are not touched at all
    const before = applied.courses[c.smsId];
    if (!before) {
      // The admin's own course: take it as it is now, and keep it in step with later SMS changes.
      plan.adoptedCourses.push({ key: c.smsId, lmsId, applied: desired });
      continue;
    }
    const changed = COURSE_FIELDS.filter((f) => before[f] !== desired[f]);
    if (changed.length > 0) {
      const fields = Object.fromEntries(changed.map((f) => [f, desired[f]]));
      plan.updateCourses.push({ key: c.smsId, record: { id: lmsId, ...fields }, changed, applied: desired });
    }
  }

  const target = (key: string): CourseTarget => {
    const known = targets.get(key);
    if (known) return known;
    const lmsId = applied.links.courses[key];
    const t =
      lmsId === undefined ? { open: false as const, reason: 'course-not-in-lms' as const } : linkedTarget(key, lmsId);
    targets.set(key, t);
    return t;
  };
  return { ...plan, target };
}
