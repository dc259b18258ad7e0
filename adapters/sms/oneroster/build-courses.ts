import type { SmsCourse, SmsGroup, SmsSnapshot, SmsWarning } from '../../contract';
import type { ClassRecord, RosterData } from './roster-data';

/**
 * Courses and groups for the snapshot (option courseFrom):
 * - 'class' (default): one SmsCourse per OneRoster class — code = classCode (or the sourcedId), name = title,
 *   dates = the span of its terms. No groups.
 * - 'course': one SmsCourse per OneRoster course (code = courseCode or sourcedId, name = title, dates = the
 *   span of its classes' terms, else its school year) and one SmsGroup per class (name = classCode or title).
 * A tobedeleted class or course is treated as deleted: left out of a bulk, removed from the base by a delta.
 */
export interface CoursesResult {
  courses: Map<string, SmsCourse>;
  groups: Map<string, SmsGroup>;
  /** OneRoster class sourcedId → the LMS course (and group) its enrolments go to. */
  classTarget(classId: string): { courseSmsId: string; groupSmsId?: string } | undefined;
}

function span(data: RosterData, sessionIds: readonly string[]): { startDate?: string; endDate?: string } {
  let startDate: string | undefined;
  let endDate: string | undefined;
  for (const id of sessionIds) {
    const session = data.sessions?.get(id);
    if (!session) continue;
    if (!startDate || session.startDate < startDate) startDate = session.startDate;
    if (!endDate || session.endDate > endDate) endDate = session.endDate;
  }
  return { ...(startDate ? { startDate } : {}), ...(endDate ? { endDate } : {}) };
}

function withDates<T extends object>(value: T, dates: { startDate?: string; endDate?: string }): T {
  return { ...value, ...dates };
}

/**
 * The course's `term` (its sessions' titles, in order, once each) and `subject` (the first non-empty
 * subjects list given, as "Mathematics, Statistics"), for category and template rules; absent where the
 * export has none.
 */
function termAndSubject(
  data: RosterData,
  sessionIds: readonly string[],
  ...subjects: string[]
): { term?: string; subject?: string } {
  const titles = [...new Set(sessionIds.map((id) => data.sessions?.get(id)?.title).filter((t): t is string => !!t))];
  const subject = subjects.find((s) => s !== '');
  return { ...(titles.length > 0 ? { term: titles.join(', ') } : {}), ...(subject ? { subject } : {}) };
}

export function buildCourses(
  data: RosterData,
  courseFrom: 'class' | 'course',
  base: () => SmsSnapshot | undefined,
  warnings: SmsWarning[],
): CoursesResult {
  return courseFrom === 'class' ? coursesFromClasses(data, base) : coursesFromCourses(data, base, warnings);
}

/** A bulk file is the complete set; a delta or absent one starts from the base (asked for only then). */
function startFrom<T extends { smsId: string }>(
  mode: string,
  baseItems: () => readonly T[] | undefined,
): Map<T['smsId'], T> {
  return new Map(mode === 'bulk' ? [] : (baseItems() ?? []).map((item) => [item.smsId, item]));
}

function coursesFromClasses(data: RosterData, base: () => SmsSnapshot | undefined): CoursesResult {
  const courses = startFrom<SmsCourse>(data.modes.get('classes') ?? 'absent', () => base()?.courses);
  for (const [id, klass] of data.classes ?? []) {
    if (klass.status === 'tobedeleted') {
      courses.delete(id);
      continue;
    }
    courses.set(
      id,
      withDates(
        {
          smsId: id,
          code: klass.classCode || id,
          name: klass.title,
          ...termAndSubject(
            data,
            klass.termSourcedIds,
            klass.subjects,
            data.courses?.get(klass.courseSourcedId)?.subjects ?? '',
          ),
        },
        span(data, klass.termSourcedIds),
      ),
    );
  }
  return {
    courses,
    groups: new Map(),
    // The course's own id string, not the row's copy: a million enrolments then share 5,000 strings.
    classTarget: (classId) => {
      const course = courses.get(classId);
      return course ? { courseSmsId: course.smsId } : undefined;
    },
  };
}

function coursesFromCourses(
  data: RosterData,
  base: () => SmsSnapshot | undefined,
  warnings: SmsWarning[],
): CoursesResult {
  const courses = startFrom<SmsCourse>(data.modes.get('courses') ?? 'absent', () => base()?.courses);
  const groups = startFrom<SmsGroup>(data.modes.get('classes') ?? 'absent', () => base()?.groups);
  const classesByCourse = new Map<string, ClassRecord[]>();
  for (const klass of data.classes?.values() ?? []) {
    if (klass.status !== 'tobedeleted')
      classesByCourse.set(klass.courseSourcedId, [...(classesByCourse.get(klass.courseSourcedId) ?? []), klass]);
  }
  for (const [id, course] of data.courses ?? []) {
    if (course.status === 'tobedeleted') {
      courses.delete(id);
      continue;
    }
    const terms = (classesByCourse.get(id) ?? []).flatMap((k) => k.termSourcedIds);
    const dates = span(data, terms.length > 0 ? terms : [course.schoolYearSourcedId]);
    const classes = classesByCourse.get(id) ?? [];
    const named = termAndSubject(data, terms, course.subjects, ...classes.map((k) => k.subjects));
    courses.set(id, withDates({ smsId: id, code: course.code || id, name: course.title, ...named }, dates));
  }
  let orphans = 0;
  for (const [id, klass] of data.classes ?? []) {
    if (klass.status === 'tobedeleted') groups.delete(id);
    else if (!courses.has(klass.courseSourcedId)) {
      groups.delete(id);
      orphans++;
    } else groups.set(id, { smsId: id, courseSmsId: klass.courseSourcedId, name: klass.classCode || klass.title });
  }
  // Groups whose course went away (a deleted course) go with it.
  for (const [id, group] of groups) {
    if (courses.has(group.courseSmsId)) continue;
    groups.delete(id);
    orphans++;
  }
  if (orphans > 0)
    warnings.push({
      message: `${orphans} class(es) belong to a deleted or unknown course and were left out`,
      file: 'classes.csv',
    });
  return {
    courses,
    groups,
    classTarget: (classId) => {
      const group = groups.get(classId);
      return group ? { courseSmsId: group.courseSmsId, groupSmsId: group.smsId } : undefined;
    },
  };
}
