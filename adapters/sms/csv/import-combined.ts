import type { SmsPerson } from '../../contract';
import { cell } from './columns';
import type { CsvInput } from './inputs';
import type { CombinedMapping } from './mapping';
import { readTable } from './read-table';
import { courseReader, enrolmentDetailsReader, personReader } from './record-readers';
import type { SnapshotBuilder } from './snapshot-builder';
import type { TextEncodingName } from './text/encoding';

/**
 * One row per enrolment: the student, the course (subject) and optionally the class and its teacher
 * on each row. People, courses and classes repeat down the file and are merged while they agree.
 */
export async function importCombined(
  mapping: CombinedMapping,
  input: CsvInput,
  builder: SnapshotBuilder,
  encoding: TextEncodingName | undefined,
): Promise<void> {
  const warn = (warning: Parameters<SnapshotBuilder['warn']>[0]): void => builder.warn(warning);
  await readTable(input, { encoding, requireRows: true, warn }, (header) => {
    const file = header.file;
    const readPerson = personReader(header, mapping.person);
    const readCourse = courseReader(header, mapping.course);
    const readDetails = enrolmentDetailsReader(header, mapping.enrolment ?? {});
    const group = mapping.group;
    const groupId = header.optional(group?.smsId, 'class id');
    const groupName = header.optional(group?.name, 'class name');
    const teacher = mapping.teacher;
    const teacherId = header.optional(teacher?.smsId, 'teacher id');
    const teacherGiven = header.optional(teacher?.givenName, 'teacher given name');
    const teacherFamily = header.optional(teacher?.familyName, 'teacher family name');
    const teacherEmail = header.optional(teacher?.email, 'teacher email');
    if (teacherId && !teacherGiven && !teacherFamily)
      warn({
        message: 'Teacher names are not mapped: teachers are named by their code',
        file,
        field: teacherId.header,
      });

    return (row) => {
      const place = { file, line: row.line };
      const person = readPerson(row);
      builder.addPerson(person, place, true);
      const course = readCourse(row);
      builder.addCourse(course, place);
      const classText = cell(row, groupId);
      let groupSmsId: string | undefined;
      if (classText) {
        groupSmsId = group?.scope === 'per-course' ? `${course.smsId}/${classText}` : classText;
        builder.addGroup(
          { smsId: groupSmsId, courseSmsId: course.smsId, name: cell(row, groupName) || classText },
          place,
        );
      }
      const details = readDetails(row, person.role === 'staff' ? 'teacher' : 'student');
      const target = groupSmsId ? { courseSmsId: course.smsId, groupSmsId } : { courseSmsId: course.smsId };
      builder.addEnrolment({ personSmsId: person.smsId, ...target, ...details }, place, false);

      const staffId = cell(row, teacherId);
      if (!staffId) return;
      const givenName = cell(row, teacherGiven);
      const familyName = cell(row, teacherFamily) || (givenName ? '' : staffId);
      const staff: SmsPerson = { smsId: staffId, role: 'staff', givenName, familyName, active: true };
      const email = cell(row, teacherEmail);
      if (email) staff.email = email;
      builder.addPerson(staff, place, true);
      builder.addEnrolment({ personSmsId: staffId, ...target, role: 'teacher', active: true }, place, true);
    };
  });
}
