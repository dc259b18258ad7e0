import type { SmsSnapshot } from '../../contract';
import type { OneRosterVersion } from './options';
import type { RosterData } from './roster-data';

/**
 * What results write-back needs to remember from the last import (SmsResultRecord carries only person and
 * LMS course): the version to answer in, each class's term and school (lineItems need a grading period /
 * academic session), course dates (assign/due dates), and — in 'course' mode, where the LMS course is a
 * OneRoster course — which class each student was in, since results belong to a class (E.3).
 */
export interface ExportContext {
  version: OneRosterVersion;
  courseFrom: 'class' | 'course';
  classInfo: Map<string, { termSourcedId?: string; schoolSourcedId?: string }>;
  courseDates: Map<string, { startDate?: string; endDate?: string }>;
  /** `${personSmsId}\u0000${courseSmsId}` → class sourcedId ('course' mode). */
  classOfStudent: Map<string, string>;
}

export function studentKey(personSmsId: string, courseSmsId: string): string {
  return `${personSmsId}\u0000${courseSmsId}`;
}

export function exportContextFrom(
  data: RosterData,
  snapshot: SmsSnapshot,
  courseFrom: 'class' | 'course',
  previous?: ExportContext,
): ExportContext {
  const classInfo = new Map(previous?.classInfo ?? []);
  for (const [id, klass] of data.classes ?? []) {
    const info: { termSourcedId?: string; schoolSourcedId?: string } = {};
    if (klass.termSourcedIds[0]) info.termSourcedId = klass.termSourcedIds[0];
    if (klass.schoolSourcedId) info.schoolSourcedId = klass.schoolSourcedId;
    classInfo.set(id, info);
  }
  const classOfStudent = new Map<string, string>();
  if (courseFrom === 'course') {
    for (const e of snapshot.enrolments)
      if (e.groupSmsId) classOfStudent.set(studentKey(e.personSmsId, e.courseSmsId), e.groupSmsId);
  }
  return {
    version: data.version,
    courseFrom,
    classInfo,
    courseDates: new Map(snapshot.courses.map((c) => [c.smsId, { startDate: c.startDate, endDate: c.endDate }])),
    classOfStudent,
  };
}
