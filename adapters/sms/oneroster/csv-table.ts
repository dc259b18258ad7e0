import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { SmsImportError, type SmsWarning } from '../../contract';

/**
 * Streams one OneRoster CSV file as rows addressed by header name (E.1: columns may come in any order, so
 * never by position). UTF-8 is decoded strictly (a BOM is dropped); quoting follows RFC 4180. Records are
 * held one at a time, so memory does not grow with the file; a record longer than maxRecordChars (an
 * unbalanced quote eating the rest of the file) is refused with the line where it starts.
 */
export interface TableSpec {
  file: string;
  /** Needed by ClassBridge: missing from a file that has rows → refused ('missing'). */
  required: readonly string[];
  /** Required by E.1 but not used: missing → a warning. */
  expected: readonly string[];
  optional: readonly string[];
}

export interface TableRow {
  /** The line the record ends on (records with quoted line breaks span several). */
  readonly line: number;
  get(column: string): string;
  has(column: string): boolean;
  /** `ext_*` and `metadata.*` columns with a value, as [name, value]. */
  extensions(): [string, string][];
}

export interface TableOptions {
  maxRecordChars: number;
  warnings: SmsWarning[];
}

const EXTENSION = /^(ext_|metadata\.)/;

async function* decodeUtf8(chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (error) {
    if (error instanceof SmsImportError) throw error;
    if (error instanceof TypeError) {
      throw new SmsImportError('encoding', 'the file is not valid UTF-8', {
        file,
        expected: 'UTF-8',
        found: `bytes near offset ${bytes}`,
      });
    }
    const code = (error as { code?: string }).code ?? String(error);
    throw new SmsImportError('missing', 'the file could not be read', { file, found: code });
  }
}

export async function* readTable(
  chunks: AsyncIterable<Uint8Array>,
  spec: TableSpec,
  options: TableOptions,
): AsyncGenerator<TableRow> {
  const input = Readable.from(decodeUtf8(chunks, spec.file));
  // Field counts are checked here rather than by csv-parse, so Excel's empty trailing header cells may be
  // matched by rows that have them or not (see fieldCountProblem).
  const parser = parse({
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: options.maxRecordChars,
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let lastLine = 0;
  let columns: Map<string, number> | undefined;
  let header: string[] = [];
  let extensionColumns: [string, number][] = [];
  let firstRow = true;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = item.info.lines;
      if (!columns) {
        header = item.record;
        columns = headerColumns(header, spec, options.warnings);
        extensionColumns = [...columns].filter(([name]) => EXTENSION.test(name));
        lastLine = line;
        continue;
      }
      // A header-only file needs nothing, so a needed column is missed only once there is a row.
      if (firstRow) requireColumns(header, columns, spec);
      firstRow = false;
      if (item.record.length !== header.length) fieldCountProblem(item.record, header, spec.file, line);
      lastLine = line;
      yield makeRow(item.record, columns, extensionColumns, line);
    }
  } catch (error) {
    throw toImportError(error, spec.file, lastLine);
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (!columns) throw new SmsImportError('empty', 'the file is empty (no header row)', { file: spec.file });
}

function makeRow(
  record: string[],
  columns: Map<string, number>,
  extensionColumns: [string, number][],
  line: number,
): TableRow {
  return {
    line,
    get: (column) => {
      const index = columns.get(column);
      return index === undefined ? '' : (record[index] ?? '').trim();
    },
    has: (column) => columns.has(column),
    extensions: () =>
      extensionColumns.flatMap(([name, index]) => {
        const value = (record[index] ?? '').trim();
        return value ? [[name, value] as [string, string]] : [];
      }),
  };
}

function headerColumns(header: string[], spec: TableSpec, warnings: SmsWarning[]): Map<string, number> {
  const columns = new Map<string, number>();
  const known = new Set([...spec.required, ...spec.expected, ...spec.optional]);
  const unnamed: number[] = [];
  header.forEach((raw, index) => {
    const name = raw.trim();
    if (!name) {
      unnamed.push(index + 1);
      return;
    }
    if (columns.has(name)) {
      throw new SmsImportError('duplicate', 'the header names a column twice', {
        file: spec.file,
        line: 1,
        field: name,
      });
    }
    columns.set(name, index);
    if (!known.has(name) && !EXTENSION.test(name)) {
      warnings.push({ message: `unknown column "${name}" is ignored`, file: spec.file, line: 1, field: name });
    }
  });
  // An Excel round-trip leaves empty header cells at the end (`…,endDate,,`): one warning, not one each.
  if (unnamed.length > 0) {
    const which = unnamed.length === 1 ? `column ${unnamed[0]}` : `${unnamed.length} columns (${unnamed.join(', ')})`;
    warnings.push({ message: `${which} with no name in the header are ignored`, file: spec.file, line: 1 });
  }
  for (const column of spec.expected) {
    if (!columns.has(column)) {
      warnings.push({
        message: `column "${column}" is missing; ClassBridge does not use it`,
        file: spec.file,
        line: 1,
        field: column,
      });
    }
  }
  return columns;
}

function requireColumns(header: string[], columns: Map<string, number>, spec: TableSpec): void {
  for (const required of spec.required) {
    if (!columns.has(required)) {
      throw new SmsImportError('missing', `required column "${required}" is missing`, {
        file: spec.file,
        line: 1,
        field: required,
        expected: `a "${required}" column`,
        found: header.join(','),
      });
    }
  }
}

/**
 * A row with fewer or more fields than the header is accepted only when the difference is empty: missing
 * fields under nameless header cells, or extra fields that are blank (both what Excel writes). Anything
 * else is the malformed record it looks like.
 */
function fieldCountProblem(record: string[], header: string[], file: string, line: number): void {
  const shorter = record.length < header.length;
  const extra = shorter ? header.slice(record.length) : record.slice(header.length);
  if (extra.every((cell) => cell.trim() === '')) return;
  throw new SmsImportError('format', 'the record has a different number of fields from the header', {
    file,
    line,
    expected: 'as many fields as header columns',
    found: String(record.length),
  });
}

/** csv-parse reports where parsing stopped; the broken record starts just after the last good one. */
function toImportError(error: unknown, file: string, lastLine: number): SmsImportError {
  if (error instanceof SmsImportError) return error;
  if (error instanceof CsvError) {
    const start = lastLine + 1;
    switch (error.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
      case 'CSV_MAX_RECORD_SIZE':
        return new SmsImportError('format', 'a quoted field is never closed (unbalanced quotes)', {
          file,
          line: start,
          expected: 'a closing double quote',
          found: error.code === 'CSV_MAX_RECORD_SIZE' ? 'a record longer than the limit' : 'end of file',
        });
      case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      case 'CSV_RECORD_INCONSISTENT_COLUMNS':
        return new SmsImportError('format', 'the record has a different number of fields from the header', {
          file,
          line: typeof error.lines === 'number' ? error.lines : start,
          expected: 'as many fields as header columns',
          found: String((error.record as unknown[] | undefined)?.length ?? '?'),
        });
      default:
        return new SmsImportError('format', `malformed CSV: ${error.message}`, {
          file,
          line: typeof error.lines === 'number' ? error.lines : start,
          expected: 'RFC 4180 quoting',
        });
    }
  }
  return new SmsImportError('format', `the file could not be parsed: ${String(error)}`, { file, line: lastLine + 1 });
}
