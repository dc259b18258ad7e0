import { SmsImportError } from '../../contract';
import {
  checkReference,
  noteReference,
  type ClassRecord,
  type CourseRecord,
  type ReadContext,
  type SessionRecord,
} from './roster-data';
import { eachRow } from './table-rows';
import { date, list, note, optionalName, required, requiredName, wanted } from './values';

/**
 * orgs, academicSessions, courses and classes (E.1), each checked against the files read before it. What
 * ClassBridge keeps (ids, titles, codes, the class → course link, session dates) is refused when wrong;
 * what it does not use (org names and types, session titles, types and school years, class types, org and
 * term references) is only warned about, collapsed per file and field.
 */
export async function readOrgs(ctx: ReadContext): Promise<void> {
  const orgs = new Set<string>();
  ctx.data.orgs = orgs;
  await eachRow(ctx, 'orgs', (row) => {
    if (row.status !== 'tobedeleted') {
      wanted(row, 'name');
      wanted(row, 'type');
    }
    orgs.add(row.sourcedId);
  });
}

export async function readSessions(ctx: ReadContext): Promise<void> {
  const sessions = new Map<string, SessionRecord>();
  ctx.data.sessions = sessions;
  await eachRow(ctx, 'academicSessions', (row) => {
    if (row.status === 'tobedeleted' && row.delta) return;
    const title = wanted(row, 'title');
    wanted(row, 'type');
    const startDate = date(row, 'startDate', true) as string;
    const endDate = date(row, 'endDate', true) as string;
    const schoolYear = wanted(row, 'schoolYear');
    if (schoolYear && !/^\d{4}$/.test(schoolYear)) note(row, 'schoolYear', 'schoolYear is not a year YYYY', schoolYear);
    if (endDate < startDate) {
      throw new SmsImportError('format', 'the session ends before it starts', {
        file: row.file,
        line: row.row.line,
        field: 'endDate',
        expected: `a date on or after ${startDate}`,
        found: endDate,
      });
    }
    sessions.set(row.sourcedId, { startDate, endDate, ...(title ? { title } : {}) });
  });
}

export async function readCourses(ctx: ReadContext): Promise<void> {
  const courses = new Map<string, CourseRecord>();
  ctx.data.courses = courses;
  await eachRow(ctx, 'courses', (row) => {
    const deleted = row.status === 'tobedeleted';
    const title = deleted ? optionalName(row, 'title') : requiredName(row, 'title');
    let schoolYearSourcedId = row.row.get('schoolYearSourcedId');
    if (!deleted) {
      const org = wanted(row, 'orgSourcedId');
      if (org) noteReference(ctx, row.file, row.row.line, 'orgSourcedId', 'orgs', org);
      // A school year that is not there gives no dates; the course is still a course.
      if (
        schoolYearSourcedId &&
        !noteReference(ctx, row.file, row.row.line, 'schoolYearSourcedId', 'academicSessions', schoolYearSourcedId)
      )
        schoolYearSourcedId = '';
    }
    courses.set(row.sourcedId, {
      status: row.status,
      title,
      code: optionalName(row, 'courseCode'),
      schoolYearSourcedId,
      subjects: list(row.row.get('subjects')).join(', '),
    });
  });
}

export async function readClasses(ctx: ReadContext): Promise<void> {
  const classes = new Map<string, ClassRecord>();
  ctx.data.classes = classes;
  const rows = await eachRow(ctx, 'classes', (row) => {
    const deleted = row.status === 'tobedeleted';
    const line = row.row.line;
    const courseSourcedId = deleted ? row.row.get('courseSourcedId') : required(row, 'courseSourcedId');
    let termSourcedIds = list(row.row.get('termSourcedIds'));
    const schoolSourcedId = deleted ? row.row.get('schoolSourcedId') : wanted(row, 'schoolSourcedId');
    if (!deleted) {
      wanted(row, 'classType');
      checkReference(ctx, row.file, line, 'courseSourcedId', 'courses', courseSourcedId);
      if (schoolSourcedId) noteReference(ctx, row.file, line, 'schoolSourcedId', 'orgs', schoolSourcedId);
      if (termSourcedIds.length === 0) wanted(row, 'termSourcedIds');
      // Terms only give dates: one that is not there is left out (the class gets no dates from it).
      termSourcedIds = termSourcedIds.filter((term) =>
        noteReference(ctx, row.file, line, 'termSourcedIds', 'academicSessions', term),
      );
    }
    classes.set(row.sourcedId, {
      status: row.status,
      title: deleted ? optionalName(row, 'title') : requiredName(row, 'title'),
      classCode: optionalName(row, 'classCode'),
      courseSourcedId,
      schoolSourcedId,
      termSourcedIds,
      subjects: list(row.row.get('subjects')).join(', '),
    });
  });
  if (rows === 0 && ctx.data.modes.get('classes') === 'bulk') {
    throw new SmsImportError('empty', 'classes.csv has no classes', {
      file: 'classes.csv',
      expected: 'at least one class',
    });
  }
}
