import { SmsImportError } from '../../contract';
import { tableSpec, type RosterFile } from './columns';
import { readTable } from './csv-table';
import { modeOf, type ReadContext } from './roster-data';
import { SeenIds } from './seen-ids';
import { checkDateLastModified, clean, status, type FieldContext, type RecordStatus } from './values';

/**
 * Streams one roster file row by row with the checks every file shares: the columns a delta needs
 * (status, dateLastModified), a valid status and timestamp on each row, and a sourcedId that is present
 * and unique within the file ('duplicate' names both lines). Returns the number of data rows.
 */
export interface RowVisit extends FieldContext {
  sourcedId: string;
  status: RecordStatus;
  delta: boolean;
}

export async function eachRow(ctx: ReadContext, file: RosterFile, visit: (row: RowVisit) => void): Promise<number> {
  const spec = tableSpec(file, ctx.data.version);
  const stored = ctx.source.files.get(spec.file.toLowerCase());
  if (stored === undefined) {
    throw new SmsImportError('missing', `manifest.csv lists ${spec.file} but the file is not there`, {
      file: spec.file,
      expected: spec.file,
      found: ctx.source.label,
    });
  }
  const delta = modeOf(ctx, file) === 'delta';
  const seen = new SeenIds();
  let rows = 0;
  let headerChecked = false;
  for await (const row of readTable(ctx.source.open(stored), spec, ctx)) {
    if (!headerChecked && delta) requireDeltaColumns(ctx, spec.file, row.has.bind(row));
    headerChecked = true;
    const fieldContext: FieldContext = { file: spec.file, row, notes: ctx.notes };
    const sourcedId = row.get('sourcedId');
    if (!sourcedId) {
      throw new SmsImportError('missing', 'sourcedId is empty', {
        file: spec.file,
        line: row.line,
        field: 'sourcedId',
        expected: 'a value',
      });
    }
    const firstLine = seen.firstLineOrAdd(sourcedId, row.line);
    if (firstLine !== undefined) {
      throw new SmsImportError('duplicate', `sourcedId ${sourcedId} appears twice (first on line ${firstLine})`, {
        file: spec.file,
        line: row.line,
        field: 'sourcedId',
        found: sourcedId,
      });
    }
    clean(fieldContext, 'sourcedId', sourcedId);
    const recordStatus = status(fieldContext, delta);
    checkDateLastModified(fieldContext, delta);
    visit({ ...fieldContext, sourcedId, status: recordStatus, delta });
    rows++;
  }
  return rows;
}

/**
 * E.1: a delta file has status and dateLastModified. status says what to do with a row (replace or
 * remove), so without it a delta cannot be applied; dateLastModified decides nothing here (rows are
 * applied in file order, each sourcedId once), so its absence is only a warning.
 */
function requireDeltaColumns(ctx: ReadContext, file: string, has: (column: string) => boolean): void {
  if (!has('status')) {
    throw new SmsImportError('missing', 'a delta file needs the "status" column', {
      file,
      line: 1,
      field: 'status',
      expected: 'a "status" column',
    });
  }
  if (!has('dateLastModified')) {
    ctx.warnings.push({
      message: 'a delta file should have a "dateLastModified" column; ClassBridge does not use it',
      file,
      line: 1,
      field: 'dateLastModified',
    });
  }
}
