import { SmsImportError, type SmsWarning } from '../../contract';
import { cell, requiredCell, type ColumnRef } from './columns';
import type { CsvInput } from './inputs';
import type { SeparateMapping } from './mapping';
import type { CsvRow } from './read-rows';
import { readTable } from './read-table';
import { courseReader, enrolmentDetailsReader, personReader } from './record-readers';
import type { SnapshotBuilder } from './snapshot-builder';
import type { TextEncodingName } from './text/encoding';

export interface SeparateInputs {
  people: CsvInput;
  courses?: CsvInput;
  groups?: CsvInput;
  enrolments: CsvInput;
}

/**
 * People, then courses and groups when given, then enrolments: each later file may only refer to ids
 * an earlier one defined ('reference' otherwise). Without a courses or groups file, they are built
 * from the ids the enrolments (or groups) use.
 */
export async function importSeparate(
  mapping: SeparateMapping,
  inputs: SeparateInputs,
  builder: SnapshotBuilder,
  encodings: ReadonlyMap<string, TextEncodingName>,
): Promise<void> {
  const warn = (warning: SmsWarning): void => builder.warn(warning);
  const options = (input: CsvInput, requireRows: boolean) => ({
    encoding: encodings.get(input.name),
    requireRows,
    warn,
  });
  const coursesListed = Boolean(inputs.courses && mapping.courses);
  const groupsListed = Boolean(inputs.groups && mapping.groups);

  await readTable(inputs.people, options(inputs.people, true), (header) => {
    const readPerson = personReader(header, mapping.people);
    return (row) => builder.addPerson(readPerson(row), { file: header.file, line: row.line }, false);
  });

  if (inputs.courses && mapping.courses) {
    const columns = mapping.courses;
    await readTable(inputs.courses, options(inputs.courses, false), (header) => {
      const readCourse = courseReader(header, columns);
      return (row) => builder.addCourse(readCourse(row), { file: header.file, line: row.line });
    });
  }

  /** A course id in a later file: must be listed when there is a courses file, else it defines one. */
  const useCourse = (file: string, row: CsvRow, column: ColumnRef, name: string): string => {
    const id = requiredCell(file, row, column, 'course id');
    if (coursesListed) {
      if (!builder.hasCourse(id)) throw missingReference(file, row, column, id, 'course', inputs.courses?.name);
    } else builder.addCourse({ smsId: id, code: id, name: name || id }, { file, line: row.line });
    return id;
  };

  if (inputs.groups && mapping.groups) {
    const columns = mapping.groups;
    await readTable(inputs.groups, options(inputs.groups, false), (header) => {
      const file = header.file;
      const id = header.require(columns.smsId, 'class id');
      const course = header.require(columns.courseSmsId, 'class course id');
      const name = header.optional(columns.name, 'class name');
      return (row) => {
        const courseSmsId = useCourse(file, row, course, '');
        const text = requiredCell(file, row, id, 'class id');
        const smsId = columns.scope === 'per-course' ? `${courseSmsId}/${text}` : text;
        builder.addGroup({ smsId, courseSmsId, name: cell(row, name) || text }, { file, line: row.line });
      };
    });
  }

  const columns = mapping.enrolments;
  await readTable(inputs.enrolments, options(inputs.enrolments, true), (header) => {
    const file = header.file;
    const person = header.require(columns.personSmsId, 'enrolment person id');
    const course = header.require(columns.courseSmsId, 'enrolment course id');
    const group = header.optional(columns.groupSmsId, 'enrolment class id');
    const courseName = header.optional(columns.courseName, 'course name');
    const readDetails = enrolmentDetailsReader(header, columns);
    const groupScope = mapping.groups?.scope ?? 'global';
    return (row) => {
      const place = { file, line: row.line };
      const personSmsId = requiredCell(file, row, person, 'person id');
      const role = builder.personRole(personSmsId);
      if (!role) throw missingReference(file, row, person, personSmsId, 'person', inputs.people.name);
      const courseSmsId = useCourse(file, row, course, cell(row, courseName));
      const classText = cell(row, group);
      let groupSmsId: string | undefined;
      if (classText && group) {
        groupSmsId = groupScope === 'per-course' ? `${courseSmsId}/${classText}` : classText;
        if (groupsListed) {
          const groupCourse = builder.groupCourse(groupSmsId);
          if (groupCourse === undefined)
            throw missingReference(file, row, group, classText, 'class', inputs.groups?.name);
          if (groupCourse !== courseSmsId)
            throw new SmsImportError(
              'reference',
              `Class ${classText} belongs to course ${groupCourse}, not ${courseSmsId}`,
              {
                file,
                line: row.line,
                column: group.index + 1,
                field: group.header,
                expected: `a class of course ${courseSmsId}`,
                found: classText,
              },
            );
        } else builder.addGroup({ smsId: groupSmsId, courseSmsId, name: classText }, place);
      }
      const details = readDetails(row, role === 'staff' ? 'teacher' : 'student');
      const target = groupSmsId ? { courseSmsId, groupSmsId } : { courseSmsId };
      builder.addEnrolment({ personSmsId, ...target, ...details }, place, false);
    };
  });
}

function missingReference(
  file: string,
  row: CsvRow,
  column: ColumnRef,
  id: string,
  what: string,
  definedIn: string | undefined,
): SmsImportError {
  return new SmsImportError('reference', `No ${what} with id ${id} is defined in ${definedIn ?? 'the other files'}`, {
    file,
    line: row.line,
    column: column.index + 1,
    field: column.header,
    expected: `a ${what} id from ${definedIn ?? 'the other files'}`,
    found: id,
  });
}
