import type { SmsCourse, SmsEnrolment, SmsPerson } from '../../contract';
import { cell, requiredCell, type HeaderRow } from './columns';
import type { CourseColumns, EnrolmentRoleMapping, PersonColumns, ActiveFlagColumn } from './mapping';
import type { CsvRow } from './read-rows';
import { isActive, mappedValue, parseDateCell } from './values';

/**
 * Row → record functions. Each resolves its columns against the header once (so a missing column is
 * reported before any data row is read) and returns a function applied to every row.
 */
export type RowReader<T> = (row: CsvRow) => T;

export function personReader(header: HeaderRow, columns: PersonColumns, use = 'person'): RowReader<SmsPerson> {
  const file = header.file;
  const id = header.require(columns.smsId, `${use} id`);
  const given = header.require(columns.givenName, `${use} given name`);
  const family = header.require(columns.familyName, `${use} family name`);
  const email = header.optional(columns.email, `${use} email`);
  const username = header.optional(columns.username, `${use} username`);
  const role = columns.role;
  const roleColumn = typeof role === 'object' ? header.require(role.column, `${use} role`) : undefined;
  const active = header.optional(columns.active?.column, `${use} active flag`);
  const extras = Object.entries(columns.extra ?? {}).map(
    // Extra facts are the school's own free text (notes, a house name): a line break there is content.
    ([name, column]) => [name, header.require(column, `${use} ${name}`, { freeText: true })] as const,
  );
  return (row) => {
    const smsId = requiredCell(file, row, id, `${use} id`);
    const givenName = cell(row, given);
    const familyName = cell(row, family);
    // One blank name part is allowed (people with a single name); both blank is a missing name.
    if (givenName === '' && familyName === '') requiredCell(file, row, family, `${use} name`);
    const person: SmsPerson = {
      smsId,
      role:
        typeof role === 'object'
          ? mappedValue<SmsPerson['role']>(file, row, roleColumn, role.values, undefined)
          : (role ?? 'student'),
      givenName,
      familyName,
      active: isActive(row, active, columns.active),
    };
    const emailText = cell(row, email);
    if (emailText) person.email = emailText;
    const usernameText = cell(row, username);
    if (usernameText) person.username = usernameText;
    if (extras.length > 0) {
      const extra: Record<string, string> = {};
      for (const [name, column] of extras) {
        const value = cell(row, column);
        if (value) extra[name] = value;
      }
      if (Object.keys(extra).length > 0) person.extra = extra;
    }
    return person;
  };
}

export function courseReader(header: HeaderRow, columns: CourseColumns): RowReader<SmsCourse> {
  const file = header.file;
  const id = header.require(columns.smsId, 'course id');
  const code = header.optional(columns.code, 'course code');
  const name = header.optional(columns.name, 'course name');
  const start = header.optional(columns.startDate, 'course start date');
  const end = header.optional(columns.endDate, 'course end date');
  const term = header.optional(columns.term, 'course term');
  const subject = header.optional(columns.subject, 'course subject');
  return (row) => {
    const smsId = requiredCell(file, row, id, 'course id');
    const courseCode = cell(row, code) || smsId;
    const course: SmsCourse = { smsId, code: courseCode, name: cell(row, name) || courseCode };
    const startDate = parseDateCell(file, row, start);
    const endDate = parseDateCell(file, row, end);
    if (startDate) course.startDate = startDate;
    if (endDate) course.endDate = endDate;
    const termName = cell(row, term);
    const subjectName = cell(row, subject);
    if (termName) course.term = termName;
    if (subjectName) course.subject = subjectName;
    return course;
  };
}

export interface EnrolmentDetailColumns {
  role?: EnrolmentRoleMapping;
  startDate?: string;
  endDate?: string;
  active?: ActiveFlagColumn;
  outcome?: string;
}

export type EnrolmentDetails = Pick<SmsEnrolment, 'startDate' | 'endDate' | 'active' | 'outcome'> & {
  role: 'student' | 'teacher';
};

/** Role, dates, status and outcome of an enrolment row; `defaultRole` when the mapping has no role. */
export function enrolmentDetailsReader(
  header: HeaderRow,
  columns: EnrolmentDetailColumns,
): (row: CsvRow, defaultRole: 'student' | 'teacher') => EnrolmentDetails {
  const file = header.file;
  const role = columns.role;
  const roleColumn = typeof role === 'object' ? header.require(role.column, 'enrolment role') : undefined;
  const start = header.optional(columns.startDate, 'enrolment start date');
  const end = header.optional(columns.endDate, 'enrolment end date');
  const active = header.optional(columns.active?.column, 'enrolment active flag');
  const outcome = header.optional(columns.outcome, 'enrolment outcome');
  return (row, defaultRole) => {
    const details: EnrolmentDetails = {
      role:
        typeof role === 'object'
          ? mappedValue<'student' | 'teacher'>(file, row, roleColumn, role.values, defaultRole)
          : (role ?? defaultRole),
      active: isActive(row, active, columns.active),
    };
    const startDate = parseDateCell(file, row, start);
    const endDate = parseDateCell(file, row, end);
    const outcomeText = cell(row, outcome);
    if (startDate) details.startDate = startDate;
    if (endDate) details.endDate = endDate;
    if (outcomeText) details.outcome = outcomeText;
    return details;
  };
}
