import { SmsImportError, type SmsWarning } from '../../contract';
import { HeaderRow, isBlankRow } from './columns';
import type { CsvInput } from './inputs';
import { openCsv, type CsvRow } from './read-rows';
import type { TextEncodingName } from './text/encoding';

export interface TableOptions {
  /** Force an encoding (the retry after UTF-8 turned invalid past the first 64 KB). */
  encoding?: TextEncodingName;
  /** A header without data rows is 'empty' (true for the files that carry the people). */
  requireRows: boolean;
  warn(warning: SmsWarning): void;
}

/**
 * Streams one CSV file through a row handler: the first non-empty record is the header, blank rows
 * are skipped. `prepare` sees the header first, so mapping problems surface before any data row.
 */
export async function readTable(
  input: CsvInput,
  options: TableOptions,
  prepare: (header: HeaderRow) => (row: CsvRow) => void,
): Promise<{ rows: number }> {
  const reading = await openCsv(input, options.encoding);
  let handle: ((row: CsvRow) => void) | undefined;
  let rows = 0;
  for await (const row of reading.rows) {
    if (!handle) {
      if (isBlankRow(row)) continue;
      const header = new HeaderRow(input.name, row);
      handle = prepare(header);
      const unused = header.unusedColumnsWarning();
      if (unused) options.warn(unused);
      continue;
    }
    if (isBlankRow(row)) continue;
    handle(row);
    rows++;
  }
  if (!handle)
    throw new SmsImportError('empty', `${input.name} is empty`, { file: input.name, expected: 'a header row' });
  if (options.requireRows && rows === 0)
    throw new SmsImportError('empty', `${input.name} has a header but no rows`, {
      file: input.name,
      line: 2,
      expected: 'at least one data row',
    });
  if (reading.encoding === 'windows-1252')
    options.warn({
      message:
        'Read as Windows-1252 (not UTF-8): macrons cannot be stored in that encoding; save as "CSV UTF-8" to keep them',
      file: input.name,
    });
  return { rows };
}
