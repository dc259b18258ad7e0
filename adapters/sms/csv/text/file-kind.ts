import { SmsImportError } from '../../../contract';
import { detectEncoding } from './encoding';

/**
 * Files that arrive where a CSV export was expected but are not one: what a school's portal or
 * Excel leaves behind. Each gets its own message saying what the file is and what to do, instead of
 * "could not recognise the columns" or a parser error about quotes. `head` is the file's first bytes
 * (64 KB is plenty); `size` its whole length.
 */
export function notCsvText(head: Uint8Array, size: number, file: string): SmsImportError | undefined {
  const where = { file };
  if (size === 0) {
    return new SmsImportError('empty', 'The file is empty (0 bytes): export it again from the SMS.', where);
  }
  const { encoding, bomLength } = detectEncoding(head);
  if (bomLength > 0 && size <= bomLength) {
    return new SmsImportError(
      'empty',
      'The file holds only a byte-order mark and no data: export it again from the SMS.',
      where,
    );
  }
  const starts = (...bytes: number[]): boolean => bytes.every((b, i) => head[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    const text = Buffer.from(head).toString('latin1');
    return new SmsImportError(
      'format',
      text.includes('xl/')
        ? 'This is an Excel workbook (.xlsx), not a CSV file: open it in Excel and save it as "CSV UTF-8 (Comma delimited)".'
        : 'This is a zip archive, not a CSV file: unzip it and import the CSV inside, or import the zip as a OneRoster export.',
      where,
    );
  }
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) {
    return new SmsImportError(
      'format',
      'This is an old Excel workbook (.xls), not a CSV file: open it in Excel and save it as "CSV UTF-8 (Comma delimited)".',
      where,
    );
  }
  if (encoding === 'utf-8' || encoding === 'windows-1252') {
    const text = Buffer.from(head.subarray(bomLength, Math.min(head.length, 4096))).toString('latin1');
    if (/^\s*(<!doctype html|<html)/i.test(text)) {
      return new SmsImportError(
        'format',
        'This is a web page, not an export (often the sign-in page a portal returns when its session has expired): download the export again.',
        where,
      );
    }
    // A picture or a PDF by its signature, or bytes that are mostly not text. A text file with a
    // stray NUL in one name is text: the reader names that record, line and field.
    const sample = head.subarray(bomLength, Math.min(head.length, 4096));
    const controls = sample.filter((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d).length;
    const signature =
      starts(0x89, 0x50, 0x4e, 0x47) ||
      starts(0x25, 0x50, 0x44, 0x46) ||
      starts(0xff, 0xd8, 0xff) ||
      starts(0x47, 0x49, 0x46, 0x38);
    if (signature || controls > sample.length / 10) {
      return new SmsImportError(
        'format',
        'This is not a text file (it holds binary data, e.g. a picture or a PDF): export the data from the SMS as CSV.',
        where,
      );
    }
  }
  return undefined;
}

/** The file's first line as text, in its own encoding (UTF-8, UTF-16 "Unicode Text", Windows-1252). */
export function firstLineOf(head: Uint8Array): string {
  const { encoding, bomLength } = detectEncoding(head);
  const text = new TextDecoder(encoding).decode(head.subarray(bomLength));
  return text.split(/\r\n|\n|\r/, 1)[0] ?? '';
}
