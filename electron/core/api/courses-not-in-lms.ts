import type { ApiOutput, ApiParsedInput } from '../contract/contract';
import { chooseCourseCategory, courseTemplateValues, type Course, type LmsConnection } from '../model';
import { courseCreationAllowed } from '../sync/plan/plan-input';
import { courseNames } from '../sync/plan/templates';
import type { Store } from '../store/store';

/** At most this many courses are named per LMS; `total` counts them all. */
const LISTED = 200;

type Output = ApiOutput<'courses:notInLms'>;

/**
 * `courses:notInLms` (issue 18): the SMS courses of the current export that an LMS has no course for,
 * the same way the upload plans them (sync/plan/courses.ts): not linked to a live LMS course, and no
 * live tracked LMS course with the matching ID number (or templated short name). Whether the upload
 * creates one follows the planner too: a category for new courses, or a category rule that fits it.
 * A course left alone is never created. One query per table, whatever the school's size.
 */
export function coursesNotInLms(store: Store, input: ApiParsedInput<'courses:notInLms'>): Output {
  const smsCourses = readSmsCourses(store);
  const enrolments = activeEnrolmentsByCourse(store);
  const lmsConnections = store.connections
    .list()
    .filter((c): c is LmsConnection => c.kind === 'lms' && (!input.connectionId || c.id === input.connectionId));

  return lmsConnections.map((connection) => {
    const mapping = connection.mapping;
    const tracked = store.lmsCourses.list({ connectionId: connection.id, states: ['New', 'Open', 'Closed'] });
    const all = store.lmsCourses.list({ connectionId: connection.id, states: ['New', 'Open', 'Closed', 'Deleted'] });
    const deleted = new Set(all.filter((c) => c.state === 'Deleted').map((c) => String(c.lmsId)));
    const matchOf = (c: { idnumber: string; shortname: string }) =>
      mapping.courseMatch === 'idnumber' ? c.idnumber : c.shortname;
    const byMatch = new Set(tracked.map(matchOf));
    byMatch.delete('');
    // The planner matches a Deleted course too (a live one wins): that course is not made again.
    const deletedByMatch = new Set(all.filter((c) => c.state === 'Deleted').map(matchOf));
    deletedByMatch.delete('');
    const links = store.links.all(connection.id, 'course');
    const leftAlone = new Set(
      store.leaveAlone
        .list(connection.id)
        .filter((m) => m.kind === 'course')
        .map((m) => m.smsId),
    );
    const creates = courseCreationAllowed(mapping);

    const missing: Output[number]['courses'] = [];
    for (const course of smsCourses) {
      const linked = links.get(course.smsId);
      // A link to a course ClassBridge has not tracked yet (just created) counts as there.
      if (linked !== undefined && !deleted.has(linked)) continue;
      let gone = linked !== undefined;
      const names = mapping.courseMatch === 'shortname' ? courseNames(course, mapping) : undefined;
      const key = names?.ok ? names.names.shortname : course.code;
      if (linked === undefined) {
        if (byMatch.has(key)) continue;
        gone = deletedByMatch.has(key);
      }
      const isLeftAlone = leftAlone.has(course.smsId);
      const category =
        creates && !isLeftAlone && !gone ? chooseCourseCategory(mapping, courseTemplateValues(course)) : undefined;
      missing.push({
        smsId: course.smsId,
        code: course.code,
        name: course.name,
        matchValue: key,
        enrolments: enrolments.get(course.smsId) ?? 0,
        uploadCreates: category !== undefined,
        ...(gone ? { deletedInLms: true } : {}),
        ...(isLeftAlone ? { leftAlone: true } : {}),
      });
    }
    missing.sort((a, b) => b.enrolments - a.enrolments || a.name.localeCompare(b.name));
    return {
      connectionId: connection.id,
      // Before the first course-list read every course would look missing: the page says so instead.
      courseListRead: all.length > 0 || links.size > 0,
      categoryChosen: creates,
      courseMatch: mapping.courseMatch,
      total: missing.length,
      courses: missing.slice(0, LISTED),
    };
  });
}

function readSmsCourses(store: Store): Course[] {
  type Row = {
    sms_id: string;
    code: string;
    name: string;
    start_date: string | null;
    end_date: string | null;
    term: string | null;
    subject: string | null;
  };
  const rows = store.db
    .prepare('SELECT sms_id, code, name, start_date, end_date, term, subject FROM courses ORDER BY sms_id')
    .all() as Row[];
  return rows.map((r) => ({
    smsId: r.sms_id,
    code: r.code,
    name: r.name,
    ...(r.start_date !== null ? { startDate: r.start_date } : {}),
    ...(r.end_date !== null ? { endDate: r.end_date } : {}),
    ...(r.term !== null ? { term: r.term } : {}),
    ...(r.subject !== null ? { subject: r.subject } : {}),
  }));
}

function activeEnrolmentsByCourse(store: Store): Map<string, number> {
  const rows = store.db
    .prepare('SELECT course_sms_id, count(*) AS n FROM enrolments WHERE active = 1 GROUP BY course_sms_id')
    .all() as { course_sms_id: string; n: number }[];
  return new Map(rows.map((r) => [r.course_sms_id, r.n]));
}
