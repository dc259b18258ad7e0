import { parse, CsvError, type Options } from 'csv-parse';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SmsImportError } from '../../contract';
import type { CsvInput } from './inputs';
import { detectDelimiter, type Delimiter } from './text/delimiter';
import {
  decodeText,
  detectEncoding,
  DETECTION_BYTES,
  LateEncodingChange,
  type DetectedEncoding,
  type TextEncodingName,
} from './text/encoding';
import { notCsvText } from './text/file-kind';

/** One parsed record and the physical line it starts on (1-based, counting lines inside quotes). */
export interface CsvRow {
  line: number;
  fields: string[];
}

export interface CsvReading {
  encoding: TextEncodingName;
  delimiter: Delimiter;
  /** Header first, then data rows; streamed with backpressure, so memory stays bounded. */
  rows: AsyncGenerator<CsvRow>;
}

/**
 * Guards against a runaway record (an unclosed quote swallows the rest of the file): the parser
 * gives up after this many characters instead of buffering a 200 MB "field".
 */
export const MAX_RECORD_CHARACTERS = 1_000_000;

/**
 * Opens a CSV file for streaming: encoding from the first 64 KB, delimiter from the header line, then
 * csv-parse over decoded text. `encoding` forces one (the retry after a late UTF-8 failure).
 * A file that is not CSV text at all (empty, a byte-order mark only, a workbook or zip saved as .csv,
 * a portal's web page, binary data) is refused here with the same message the no-mapping path gives,
 * before the parser can call it a header or quote problem.
 */
export async function openCsv(input: CsvInput, encoding?: TextEncodingName): Promise<CsvReading> {
  const head = await input.head(DETECTION_BYTES);
  // A head shorter than asked for is the whole file; a full one only says "at least this long", which
  // is all the empty and BOM-only checks need.
  const refused = notCsvText(head, head.length, input.name);
  if (refused) throw refused;
  const sniffed = detectEncoding(head);
  const detected: DetectedEncoding = encoding ? { encoding, bomLength: 0 } : sniffed;
  const sample = new TextDecoder(detected.encoding).decode(head.subarray(detected.bomLength));
  const delimiter = detectDelimiter(sample);
  return { encoding: detected.encoding, delimiter, rows: readRows(input, detected, delimiter) };
}

async function* readRows(input: CsvInput, detected: DetectedEncoding, delimiter: Delimiter): AsyncGenerator<CsvRow> {
  // Line numbers are counted as the parser emits records (not as we consume them): when it fails, the
  // records it had buffered are dropped, and the count must still point at the failing record.
  let linesBefore = 0;
  const options: Options<CsvRow, { record: string[]; raw: string }> = {
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    // A stray quote inside an unquoted field (6'2", O"Neill) is kept as text, as Excel does.
    relax_quotes: true,
    skip_empty_lines: true,
    raw: true,
    max_record_size: MAX_RECORD_CHARACTERS,
    on_record: (parsed) => {
      const line = linesBefore + leadingLineBreaks(parsed.raw) + 1;
      linesBefore += lineBreaks(parsed.raw);
      return { line, fields: parsed.record };
    },
  };
  // The typings only model on_record for `columns` output; with `raw` the record is { record, raw }.
  const parser = parse(options as unknown as Options);
  const feeding = pipeline(Readable.from(decodeText(input.chunks(), detected)), parser);
  feeding.catch(() => undefined); // the same error surfaces through the parser below
  try {
    yield* parser as AsyncIterable<CsvRow>;
    await feeding;
  } catch (error) {
    throw explainReadError(error, input.name, linesBefore + 1, detected);
  }
}

function lineBreaks(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function leadingLineBreaks(text: string): number {
  let count = 0;
  while (text.charCodeAt(count) === 10) count++;
  return count;
}

/** Turns whatever stopped the read into an SmsImportError, except a late encoding change (retried). */
function explainReadError(error: unknown, file: string, line: number, detected: DetectedEncoding): Error {
  if (error instanceof SmsImportError) return error;
  if (error instanceof LateEncodingChange) {
    // Only a file without a BOM may be re-read as 1252: a BOM promised UTF-8/16.
    if (detected.bomLength === 0 && detected.encoding === 'utf-8')
      return new LateEncodingChange(error.byteOffset, file);
    return new SmsImportError('encoding', `The file is not valid ${detected.encoding.toUpperCase()} text`, {
      file,
      expected: detected.encoding.toUpperCase(),
      found: `invalid bytes at byte ${error.byteOffset}`,
    });
  }
  if (error instanceof CsvError) return csvFormatError(error, file, line);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
    return new SmsImportError('missing', `The file cannot be read (${code})`, { file });
  return error instanceof Error ? error : new Error(String(error));
}

function csvFormatError(error: CsvError, file: string, line: number): SmsImportError {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new SmsImportError('format', 'A quoted field is never closed (unbalanced quotes)', {
        file,
        line,
        expected: 'a closing " for the field that opens on this line',
        found: 'the end of the file',
      });
    case 'CSV_MAX_RECORD_SIZE':
      return new SmsImportError(
        'format',
        'A record runs on for more than a million characters, usually because a quote is never closed',
        { file, line, expected: 'a closing " for the field that opens on this line' },
      );
    default:
      return new SmsImportError('format', `The CSV is malformed: ${error.message}`, { file, line });
  }
}
