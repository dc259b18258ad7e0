import type { LmsCourse, Result } from '../../../../electron/core/model';

/** A result as progress:list gives it: with the student's name where the SMS still has them. */
export type NamedResult = Result & { personName: string | null };

/** One enrolment's result, with its course named. */
export interface EnrolmentProgress {
  key: string;
  connectionId: string;
  lmsCourseId: number;
  course: string;
  courseShortname: string;
  student: string;
  progress: number;
  grade: string | null;
  gradePercent: number | null;
  updatedAt: string;
}

/** One student across every course they have a result in. */
export interface StudentProgress {
  student: string;
  courses: EnrolmentProgress[];
  averageProgress: number;
  lowestProgress: number;
  updatedAt: string;
}

export const courseKeyOf = (connectionId: string, lmsCourseId: number): string => `${connectionId}:${lmsCourseId}`;

export function enrolmentRows(results: readonly NamedResult[], courses: readonly LmsCourse[]): EnrolmentProgress[] {
  const byKey = new Map(courses.map((c) => [courseKeyOf(c.connectionId, c.lmsId), c]));
  return results.map((result) => {
    const course = byKey.get(courseKeyOf(result.connectionId, result.lmsCourseId));
    return {
      key: `${result.connectionId}:${result.lmsCourseId}:${result.personSmsId}`,
      connectionId: result.connectionId,
      lmsCourseId: result.lmsCourseId,
      course: course?.fullname ?? `Course ${result.lmsCourseId}`,
      courseShortname: course?.shortname ?? '',
      student: result.personName ? `${result.personName} (${result.personSmsId})` : result.personSmsId,
      progress: result.progressPercent,
      grade: result.grade,
      gradePercent: result.gradePercent,
      updatedAt: result.updatedAt,
    };
  });
}

export function studentRows(rows: readonly EnrolmentProgress[]): StudentProgress[] {
  const byStudent = new Map<string, EnrolmentProgress[]>();
  for (const row of rows) byStudent.set(row.student, [...(byStudent.get(row.student) ?? []), row]);
  return [...byStudent].map(([student, courses]) => ({
    student,
    courses,
    averageProgress: courses.reduce((sum, c) => sum + c.progress, 0) / courses.length,
    lowestProgress: Math.min(...courses.map((c) => c.progress)),
    updatedAt: courses.reduce((latest, c) => (c.updatedAt > latest ? c.updatedAt : latest), ''),
  }));
}

/** Matches a student's name or id, a course's full or short name, or a grade, ignoring case. */
export function matchesSearch(row: EnrolmentProgress, search: string): boolean {
  if (search === '') return true;
  const wanted = search.toLocaleLowerCase();
  return [row.student, row.course, row.courseShortname, row.grade ?? ''].some((text) =>
    text.toLocaleLowerCase().includes(wanted),
  );
}
