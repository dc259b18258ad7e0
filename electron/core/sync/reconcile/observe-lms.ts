import pLimit from 'p-limit';
import type { LmsAdapter } from '../../../../adapters/contract';
import type { AppliedState } from '../plan';

/** One record the LMS no longer holds as ClassBridge left it (changed or removed by hand). */
export interface Drift {
  recordKind: 'person' | 'course' | 'enrolment';
  /** The SMS key (person / course id, or enrolmentKey). */
  recordKey: string;
  /** The SMS course the record belongs to, for enrolments and courses. */
  course?: string;
  /** What changed, in words, e.g. "email is jo@x in the LMS, ClassBridge set jo@school.nz". */
  drift: string;
}

export interface Observation {
  /**
   * The applied state corrected to what the LMS really holds: changed fields take the LMS's values,
   * records gone from the LMS are dropped. Planning the snapshot against it gives the repairs.
   */
  observed: AppliedState;
  drifts: Drift[];
  checked: { people: number; courses: number; enrolments: number };
}

const PERSON_FIELDS = ['username', 'firstname', 'lastname', 'email', 'idnumber', 'suspended'] as const;
const COURSE_FIELDS = ['fullname', 'shortname', 'idnumber'] as const;

/**
 * Reads back, for every record ClassBridge applied to this LMS, what the LMS holds now: users and
 * courses by id, and each course's enrolled users. Group memberships and enrolment dates are not
 * compared (Moodle's web services give no cheap way to read them per course).
 */
export async function observeLms(adapter: LmsAdapter, applied: AppliedState, concurrency = 4): Promise<Observation> {
  const observed: AppliedState = structuredClone(applied);
  const drifts: Drift[] = [];

  const personIds = Object.entries(applied.links.people).filter(([key]) => applied.people[key]);
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
      drifts.push({ recordKind: 'person', recordKey: key, drift: `user ${was.username} was deleted in the LMS` });
      forgetPerson(observed, key);
      continue;
    }
    const changed = PERSON_FIELDS.filter((f) => now[f] !== was[f]);
    if (changed.length === 0) continue;
    drifts.push({
      recordKind: 'person',
      recordKey: key,
      drift: changed.map((f) => fieldDrift(f, now[f], was[f])).join('; '),
    });
    observed.people[key] = { ...was, ...Object.fromEntries(changed.map((f) => [f, now[f]])) };
  }

  const courseIds = Object.entries(applied.links.courses).filter(([key]) => applied.courses[key]);
  const courses = new Map(
    (
      await adapter.findCourses(
        'id',
        courseIds.map(([, id]) => id),
      )
    ).map((c) => [c.id, c]),
  );
  const presentCourses: [string, number][] = [];
  for (const [key, lmsId] of courseIds) {
    const was = applied.courses[key]!;
    const now = courses.get(lmsId);
    if (!now) {
      drifts.push({
        recordKind: 'course',
        recordKey: key,
        course: was.shortname,
        drift: `course ${was.shortname} was deleted in the LMS`,
      });
      forgetCourse(observed, key);
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
    const list = byCourse.get(e.course) ?? [];
    list.push([key, e]);
    byCourse.set(e.course, list);
  }
  const limit = pLimit(concurrency);
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
  };
}

function forgetPerson(state: AppliedState, key: string): void {
  delete state.people[key];
  delete state.links.people[key];
  for (const [k, e] of Object.entries(state.enrolments)) if (e.person === key) delete state.enrolments[k];
  for (const [k, m] of Object.entries(state.memberships)) if (m.person === key) delete state.memberships[k];
}

function forgetCourse(state: AppliedState, key: string): void {
  delete state.courses[key];
  delete state.links.courses[key];
  for (const [k, e] of Object.entries(state.enrolments)) if (e.course === key) delete state.enrolments[k];
  for (const [k, g] of Object.entries(state.groups)) {
    if (g.course !== key) continue;
    delete state.groups[k];
    delete state.links.groups[k];
  }
  for (const [k, m] of Object.entries(state.memberships)) if (m.course === key) delete state.memberships[k];
}

function fieldDrift(field: string, now: string | boolean, was: string | boolean): string {
  if (typeof now === 'boolean')
    return now ? 'the user was suspended in the LMS' : 'the user was reactivated in the LMS';
  const show = (v: string | boolean) => (v === '' ? '(empty)' : `"${String(v)}"`);
  return `${field} is ${show(now)} in the LMS, ClassBridge set ${show(was)}`;
}
