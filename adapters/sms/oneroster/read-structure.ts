import { SmsImportError } from '../../contract';
import {
  checkReference,
  type ClassRecord,
  type CourseRecord,
  type ReadContext,
  type SessionRecord,
} from './roster-data';
import { eachRow } from './table-rows';
import { date, list, required } from './values';

/** orgs, academicSessions, courses and classes (E.1), each checked against the files read before it. */
export async function readOrgs(ctx: ReadContext): Promise<void> {
  const orgs = new Set<string>();
  ctx.data.orgs = orgs;
  await eachRow(ctx, 'orgs', (row) => {
    if (row.status !== 'tobedeleted') {
      required(row, 'name');
      required(row, 'type');
    }
    orgs.add(row.sourcedId);
  });
}

export async function readSessions(ctx: ReadContext): Promise<void> {
  const sessions = new Map<string, SessionRecord>();
  ctx.data.sessions = sessions;
  await eachRow(ctx, 'academicSessions', (row) => {
    if (row.status === 'tobedeleted' && row.delta) return;
    required(row, 'title');
    required(row, 'type');
    const startDate = date(row, 'startDate', true) as string;
    const endDate = date(row, 'endDate', true) as string;
    const schoolYear = required(row, 'schoolYear');
    if (!/^\d{4}$/.test(schoolYear)) {
      throw new SmsImportError('format', 'bad schoolYear', {
        file: row.file,
        line: row.row.line,
        field: 'schoolYear',
        expected: 'a year YYYY',
        found: schoolYear,
      });
    }
    if (endDate < startDate) {
      throw new SmsImportError('format', 'the session ends before it starts', {
        file: row.file,
        line: row.row.line,
        field: 'endDate',
        expected: `a date on or after ${startDate}`,
        found: endDate,
      });
    }
    sessions.set(row.sourcedId, { startDate, endDate });
  });
}

export async function readCourses(ctx: ReadContext): Promise<void> {
  const courses = new Map<string, CourseRecord>();
  ctx.data.courses = courses;
  await eachRow(ctx, 'courses', (row) => {
    const deleted = row.status === 'tobedeleted';
    const title = deleted ? row.row.get('title') : required(row, 'title');
    const schoolYearSourcedId = row.row.get('schoolYearSourcedId');
    if (!deleted) {
      checkReference(ctx, row.file, row.row.line, 'orgSourcedId', 'orgs', required(row, 'orgSourcedId'));
      if (schoolYearSourcedId) {
        checkReference(ctx, row.file, row.row.line, 'schoolYearSourcedId', 'academicSessions', schoolYearSourcedId);
      }
    }
    courses.set(row.sourcedId, { status: row.status, title, code: row.row.get('courseCode'), schoolYearSourcedId });
  });
}

export async function readClasses(ctx: ReadContext): Promise<void> {
  const classes = new Map<string, ClassRecord>();
  ctx.data.classes = classes;
  const rows = await eachRow(ctx, 'classes', (row) => {
    const deleted = row.status === 'tobedeleted';
    const line = row.row.line;
    const courseSourcedId = deleted ? row.row.get('courseSourcedId') : required(row, 'courseSourcedId');
    const termSourcedIds = list(row.row.get('termSourcedIds'));
    const schoolSourcedId = deleted ? row.row.get('schoolSourcedId') : required(row, 'schoolSourcedId');
    if (!deleted) {
      required(row, 'classType');
      checkReference(ctx, row.file, line, 'courseSourcedId', 'courses', courseSourcedId);
      checkReference(ctx, row.file, line, 'schoolSourcedId', 'orgs', schoolSourcedId);
      if (termSourcedIds.length === 0) required(row, 'termSourcedIds');
      for (const term of termSourcedIds)
        checkReference(ctx, row.file, line, 'termSourcedIds', 'academicSessions', term);
    }
    classes.set(row.sourcedId, {
      status: row.status,
      title: deleted ? row.row.get('title') : required(row, 'title'),
      classCode: row.row.get('classCode'),
      courseSourcedId,
      schoolSourcedId,
      termSourcedIds,
    });
  });
  if (rows === 0 && ctx.data.modes.get('classes') === 'bulk') {
    throw new SmsImportError('empty', 'classes.csv has no classes', {
      file: 'classes.csv',
      expected: 'at least one class',
    });
  }
}
