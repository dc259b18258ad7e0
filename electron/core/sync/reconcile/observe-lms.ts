import pLimit from 'p-limit';
import { LmsError, type LmsAdapter, type LmsCourseRecord } from '../../../../adapters/contract';
import type { AppliedState, LeaveAloneMarks } from '../plan';

/** One record the LMS no longer holds as ClassBridge left it (changed or removed by hand). */
export interface Drift {
  recordKind: 'person' | 'course' | 'enrolment';
  /** The SMS key (person / course id, or enrolmentKey). */
  recordKey: string;
  /** The SMS course the record belongs to, for enrolments and courses. */
  course?: string;
  /** What changed, in words, e.g. "email is jo@x in the LMS, ClassBridge set jo@school.nz". */
  drift: string;
  /** The record is gone from the LMS (deleted there), rather than changed. */
  gone?: boolean;
  /**
   * Seen, and not to be repaired: 'enrolled-by-hand' — the user is still enrolled in a course ClassBridge
   * did not create, with roles someone gave them there by hand (a teacher's enrolment stands).
   */
  leftAs?: 'enrolled-by-hand';
}

export interface Observation {
  /**
   * The applied state corrected to what the LMS really holds: changed fields take the LMS's values,
   * users and enrolments gone from the LMS are dropped. Courses gone from it stay, with what was made in
   * them (a deleted course is not made again). Planning the snapshot against it gives the repairs.
   */
  observed: AppliedState;
  drifts: Drift[];
  checked: { people: number; courses: number; enrolments: number };
  /** SMS course keys whose LMS course is Deleted in course tracking: not asked for, left as they were. */
  deletedCourses: string[];
  /**
   * LMS ids of courses asked for that the LMS no longer has (deleted since course tracking last ran).
   * Like Deleted ones they keep their applied records; the caller plans them as Deleted.
   */
  vanishedCourses: number[];
  /** Records not read back because the admin marked them left alone (their baseline is kept as it was). */
  leftAlone: { people: number; courses: number };
}

export interface ObserveOptions {
  /** LMS course ids course tracking has marked Deleted: never asked for (Moodle fails the whole id list). */
  deletedCourseIds?: ReadonlySet<number>;
  /** SMS person → the username the admin had their account created with (a link decision), not drift. */
  chosenUsernames?: ReadonlyMap<string, string>;
  /** People and courses ClassBridge does not touch: not read back, not compared, not repaired. */
  leaveAlone?: LeaveAloneMarks;
  concurrency?: number;
}

const PERSON_FIELDS = ['username', 'firstname', 'lastname', 'email', 'idnumber', 'suspended'] as const;
const COURSE_FIELDS = ['fullname', 'shortname', 'idnumber'] as const;

/**
 * Reads back, for every record ClassBridge applied to this LMS, what the LMS holds now: users and
 * courses by id, and each course's enrolled users. Group memberships and enrolment dates are not
 * compared (Moodle's web services give no cheap way to read them per course).
 */
export async function observeLms(
  adapter: LmsAdapter,
  applied: AppliedState,
  options: ObserveOptions = {},
): Promise<Observation> {
  const observed: AppliedState = structuredClone(applied);
  const drifts: Drift[] = [];
  const deletedIds = options.deletedCourseIds ?? new Set<number>();
  const marked = options.leaveAlone ?? { people: new Set<string>(), courses: new Set<string>() };
  const leftAlone = { people: 0, courses: 0 };

  const personIds = Object.entries(applied.links.people).filter(([key]) => {
    if (!applied.people[key]) return false;
    if (marked.people.has(key)) leftAlone.people += 1;
    return !marked.people.has(key);
  });
  const users = new Map(
    (
      await adapter.findUsers(
        'id',
        personIds.map(([, id]) => id),
      )
    ).map((u) => [u.id, u]),
  );
  for (const [key, lmsId] of personIds) {
    const was = applied.people[key]!;
    const now = users.get(lmsId);
    if (!now) {
      drifts.push({
        recordKind: 'person',
        recordKey: key,
        drift: `user ${was.username} was deleted in the LMS`,
        gone: true,
      });
      forgetPerson(observed, key);
      continue;
    }
    const chosen = options.chosenUsernames?.get(key);
    const changed = PERSON_FIELDS.filter((f) => now[f] !== was[f] && !(f === 'username' && now.username === chosen));
    if (changed.length === 0) continue;
    drifts.push({
      recordKind: 'person',
      recordKey: key,
      drift: changed.map((f) => fieldDrift(f, now[f], was[f])).join('; '),
    });
    observed.people[key] = { ...was, ...Object.fromEntries(changed.map((f) => [f, now[f]])) };
  }

  const linkedCourses = Object.entries(applied.links.courses).filter(([key]) => {
    if (!applied.courses[key]) return false;
    if (marked.courses.has(key)) leftAlone.courses += 1;
    return !marked.courses.has(key);
  });
  // A Deleted course is gone from the LMS: asking for it would fail the whole id list, and there is
  // nothing to compare. Its applied records stay as they were, still naming it.
  const deletedCourses = linkedCourses.filter(([, id]) => deletedIds.has(id)).map(([key]) => key);
  const courseIds = linkedCourses.filter(([, id]) => !deletedIds.has(id));
  const courses = new Map(
    (
      await findCoursesById(
        adapter,
        courseIds.map(([, id]) => id),
      )
    ).map((c) => [c.id, c]),
  );
  const presentCourses: [string, number][] = [];
  const vanishedCourses: number[] = [];
  for (const [key, lmsId] of courseIds) {
    const was = applied.courses[key]!;
    const now = courses.get(lmsId);
    if (!now) {
      // Deleted since course tracking last ran. Kept, not forgotten: a course deleted in the LMS is not
      // made again and gets no enrolments (design: course tracking), so nothing here is to be repaired.
      drifts.push({
        recordKind: 'course',
        recordKey: key,
        course: was.shortname,
        drift: `course ${was.shortname} was deleted in the LMS`,
        gone: true,
      });
      vanishedCourses.push(lmsId);
      continue;
    }
    presentCourses.push([key, lmsId]);
    const changed = COURSE_FIELDS.filter((f) => now[f] !== was[f]);
    if (changed.length === 0) continue;
    drifts.push({
      recordKind: 'course',
      recordKey: key,
      course: was.shortname,
      drift: changed.map((f) => fieldDrift(f, now[f], was[f])).join('; '),
    });
    observed.courses[key] = { ...was, ...Object.fromEntries(changed.map((f) => [f, now[f]])) };
  }

  // Active enrolments ClassBridge made, per course still in the LMS, for people still in the LMS.
  const byCourse = new Map<string, [string, AppliedState['enrolments'][string]][]>();
  for (const [key, e] of Object.entries(observed.enrolments)) {
    if (e.suspended || observed.links.people[e.person] === undefined) continue;
    if (marked.people.has(e.person) || marked.courses.has(e.course)) continue;
    const list = byCourse.get(e.course) ?? [];
    list.push([key, e]);
    byCourse.set(e.course, list);
  }
  const limit = pLimit(options.concurrency ?? 4);
  let enrolmentsChecked = 0;
  await Promise.all(
    presentCourses
      .filter(([key]) => byCourse.has(key))
      .map(([courseKey, lmsCourseId]) =>
        limit(async () => {
          const enrolled = await adapter.listEnrolledUsers(lmsCourseId);
          const roles = new Map(enrolled.map((u) => [u.id, new Set(u.roles.map((r) => r.shortname))]));
          for (const [key, e] of byCourse.get(courseKey)!) {
            enrolmentsChecked += 1;
            const userRoles = roles.get(observed.links.people[e.person]!);
            const shortname = observed.courses[courseKey]?.shortname ?? courseKey;
            const username = observed.people[e.person]?.username ?? e.person;
            if (!userRoles) {
              drifts.push({
                recordKind: 'enrolment',
                recordKey: key,
                course: shortname,
                drift: `${username} was unenrolled from ${shortname} in the LMS`,
              });
              delete observed.enrolments[key];
            } else if (!userRoles.has(e.role) && observed.courses[courseKey]?.origin !== 'created') {
              // Still enrolled, with other roles, in a course that is not ClassBridge's (the teacher's own,
              // matched by code): someone there enrolled them as they chose. That stands: the enrolment stays
              // in the baseline as ClassBridge made it, so nothing is sent for it now or by the next upload.
              const now = [...userRoles].sort().join(', ') || 'no role';
              drifts.push({
                recordKind: 'enrolment',
                recordKey: key,
                course: shortname,
                drift: `${username} is enrolled in ${shortname} by hand in the LMS (${now}), not as the ${e.role} ClassBridge enrolled`,
                leftAs: 'enrolled-by-hand',
              });
            } else if (!userRoles.has(e.role)) {
              drifts.push({
                recordKind: 'enrolment',
                recordKey: key,
                course: shortname,
                drift: `${username} no longer has the ${e.role} role in ${shortname} in the LMS`,
              });
              delete observed.enrolments[key];
            }
          }
        }),
      ),
  );
  return {
    observed,
    drifts,
    checked: { people: personIds.length, courses: courseIds.length, enrolments: enrolmentsChecked },
    deletedCourses,
    vanishedCourses,
    leftAlone,
  };
}

/**
 * The courses with these ids that the LMS still has. Moodle fails a whole id list that holds a course
 * deleted since course tracking last ran (a PHP error, not an answer without it); the full course list
 * does not fail, so that is read instead.
 */
async function findCoursesById(adapter: LmsAdapter, ids: readonly number[]): Promise<LmsCourseRecord[]> {
  try {
    return await adapter.findCourses('id', ids);
  } catch (err) {
    if (!(err instanceof LmsError) || err.kind !== 'unexpected') throw err;
    const wanted = new Set(ids);
    return (await adapter.listCourses()).filter((c) => wanted.has(c.id));
  }
}

function forgetPerson(state: AppliedState, key: string): void {
  delete state.people[key];
  delete state.links.people[key];
  for (const [k, e] of Object.entries(state.enrolments)) if (e.person === key) delete state.enrolments[k];
  for (const [k, m] of Object.entries(state.memberships)) if (m.person === key) delete state.memberships[k];
}

function fieldDrift(field: string, now: string | boolean, was: string | boolean): string {
  if (typeof now === 'boolean')
    return now ? 'the user was suspended in the LMS' : 'the user was reactivated in the LMS';
  const show = (v: string | boolean) => (v === '' ? '(empty)' : `"${String(v)}"`);
  return `${field} is ${show(now)} in the LMS, ClassBridge set ${show(was)}`;
}
