import { SmsImportError } from '../../contract';
import { checkReference, noteReference, type EnrollmentRecord, type ReadContext } from './roster-data';
import { eachRow } from './table-rows';
import { date, required, wanted } from './values';

/**
 * enrollments.csv (E.1): every row must name a user and a class that exist (users/classes read in this
 * import, or the base snapshot for a delta), else 'reference' with the line. A tobedeleted row in a delta
 * may carry only its sourcedId; it is passed on so the snapshot builder can say what it could not remove.
 */
export async function readEnrollments(ctx: ReadContext): Promise<void> {
  // Each row goes straight to the enrolment builder (records are not kept: a million of them would be).
  const add = ctx.onEnrollment ?? ((): void => undefined);
  const rows = await eachRow(ctx, 'enrollments', (row) => {
    const line = row.row.line;
    if (row.status === 'tobedeleted' && row.delta) {
      add({
        status: row.status,
        sourcedId: row.sourcedId,
        userSourcedId: row.row.get('userSourcedId'),
        classSourcedId: row.row.get('classSourcedId'),
        role: row.row.get('role'),
        line,
      });
      return;
    }
    const userSourcedId = required(row, 'userSourcedId');
    const classSourcedId = required(row, 'classSourcedId');
    checkReference(ctx, row.file, line, 'userSourcedId', 'users', userSourcedId);
    checkReference(ctx, row.file, line, 'classSourcedId', 'classes', classSourcedId);
    const school = wanted(row, 'schoolSourcedId');
    if (school) noteReference(ctx, row.file, line, 'schoolSourcedId', 'orgs', school);
    const beginDate = date(row, 'beginDate', false);
    const endDate = date(row, 'endDate', false);
    if (beginDate && endDate && endDate < beginDate) {
      throw new SmsImportError('format', 'the enrolment ends before it begins', {
        file: row.file,
        line,
        field: 'endDate',
        expected: `a date on or after ${beginDate}`,
        found: endDate,
      });
    }
    const record: EnrollmentRecord = {
      status: row.status,
      sourcedId: row.sourcedId,
      userSourcedId,
      classSourcedId,
      role: required(row, 'role'),
      line,
    };
    if (beginDate) record.beginDate = beginDate;
    if (endDate) record.endDate = endDate;
    add(record);
  });
  if (rows === 0 && ctx.data.modes.get('enrollments') === 'bulk') {
    ctx.warnings.push({ message: 'enrollments.csv has no enrolments', file: 'enrollments.csv' });
  }
}
