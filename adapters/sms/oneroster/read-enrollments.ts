import { SmsImportError } from '../../contract';
import { checkReference, type EnrollmentRecord, type ReadContext } from './roster-data';
import { eachRow } from './table-rows';
import { date, required } from './values';

/**
 * enrollments.csv (E.1): every row must name a user and a class that exist (users/classes read in this
 * import, or the base snapshot for a delta), else 'reference' with the line. A tobedeleted row in a delta
 * may carry only its sourcedId; it is kept so the snapshot builder can say what it could not remove.
 */
export async function readEnrollments(ctx: ReadContext): Promise<void> {
  const enrollments: EnrollmentRecord[] = [];
  ctx.data.enrollments = enrollments;
  const rows = await eachRow(ctx, 'enrollments', (row) => {
    const line = row.row.line;
    if (row.status === 'tobedeleted' && row.delta) {
      enrollments.push({
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
    checkReference(ctx, row.file, line, 'schoolSourcedId', 'orgs', required(row, 'schoolSourcedId'));
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
    enrollments.push(record);
  });
  if (rows === 0 && ctx.data.modes.get('enrollments') === 'bulk') {
    ctx.warnings.push({ message: 'enrollments.csv has no enrolments', file: 'enrollments.csv' });
  }
}
