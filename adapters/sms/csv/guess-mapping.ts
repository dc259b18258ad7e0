import { parse } from 'csv-parse/sync';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { SmsImportError } from '../../contract';
import { suggestMapping } from './suggest';
import { firstLineOf, notCsvText } from './text/file-kind';

/**
 * Without a saved mapping (e.g. `classbridge check` before set-up) the columns are guessed from a
 * single file's header row; when a required column cannot be recognised, the error names it.
 */
export function guessCsvMapping(path: string): Record<string, unknown> {
  if (!statSync(path).isFile()) {
    throw new SmsImportError(
      'missing',
      'A folder of CSV files needs a saved column mapping (csvMapping on the SMS connection).',
      { file: path },
    );
  }
  const suggestion = suggestMapping(headerRow(path), basename(path));
  if (!suggestion.mapping) {
    throw new SmsImportError(
      'missing',
      `Could not recognise the columns for: ${suggestion.missing.join(', ')}. Save a column mapping for this export (csvMapping).`,
      {
        file: basename(path),
        line: 1,
      },
    );
  }
  return suggestion.mapping as unknown as Record<string, unknown>;
}

function headerRow(path: string): string[] {
  const buffer = Buffer.alloc(64 * 1024);
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  const head = buffer.subarray(0, length);
  // An empty file, a workbook, a web page: said as what it is, not as columns not recognised.
  const notCsv = notCsvText(head, statSync(path).size, basename(path));
  if (notCsv) throw notCsv;
  const firstLine = firstLineOf(head);
  try {
    const rows = parse(firstLine, { delimiter: [',', ';', '\t'], relax_quotes: true }) as string[][];
    return rows[0] ?? [];
  } catch {
    throw new SmsImportError('format', 'The first line is not a CSV header row.', { file: basename(path), line: 1 });
  }
}
