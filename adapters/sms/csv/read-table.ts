import { SmsImportError, SmsProblemList, type SmsWarning } from '../../contract';
import { HeaderRow, isBlankRow, type MappedColumn } from './columns';
import { checkControlCharacters } from './control-characters';
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
 *
 * Record problems (a control character in a mapped cell, or whatever the handler refuses: a bad date,
 * a blank id, a duplicate) are collected to the end of the file and thrown as one error listing up to
 * MAX_SMS_PROBLEMS, so an admin fixes an export in one pass. A row with a control character is not
 * handled at all: its damaged values would only add confusing follow-on errors. Structural problems
 * (not a CSV, a missing column, an unclosed quote) still stop the read at once.
 */
export async function readTable(
  input: CsvInput,
  options: TableOptions,
  prepare: (header: HeaderRow) => (row: CsvRow) => void,
): Promise<{ rows: number }> {
  const reading = await openCsv(input, options.encoding);
  const problems = new SmsProblemList();
  let handle: ((row: CsvRow) => void) | undefined;
  let mapped: readonly MappedColumn[] = [];
  let rows = 0;
  try {
    for await (const row of reading.rows) {
      if (!handle) {
        if (isBlankRow(row)) continue;
        const header = new HeaderRow(input.name, row);
        handle = prepare(header);
        mapped = header.mappedColumns();
        const unused = header.unusedColumnsWarning();
        if (unused) options.warn(unused);
        continue;
      }
      if (isBlankRow(row)) continue;
      rows++;
      if (!checkControlCharacters(input.name, row, mapped, problems)) continue;
      try {
        handle(row);
      } catch (error) {
        if (!(error instanceof SmsImportError)) throw error;
        addProblems(problems, error);
      }
    }
  } catch (error) {
    // A read that stops part-way (an unclosed quote) after record problems: all of them, the stop last.
    if (error instanceof SmsImportError && problems.size > 0) {
      addProblems(problems, error);
      problems.throwIfAny();
    }
    throw error;
  }
  problems.throwIfAny();
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

function addProblems(list: SmsProblemList, error: SmsImportError): void {
  for (const problem of error.problems) list.add(problem.kind, problem.message, problem.where);
}
