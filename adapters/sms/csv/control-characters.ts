import { controlCharacterIn, type SmsProblemList } from '../../contract';
import type { MappedColumn } from './columns';
import type { CsvRow } from './read-rows';

/** How much of a long value the message shows around the character (the rest is not needed to find it). */
const SHOWN_AROUND = 40;

/**
 * Adds a 'format' problem for each mapped cell of `row` holding a control character (NUL, other C0
 * codes, DEL, C1 codes), and says whether there was none. Such a character is never part of a name, an
 * id or a date: it is a damaged export, and Moodle would store it or refuse a whole batch. Line breaks
 * and tabs are allowed only inside free-text columns; around any cell they are trimmed (not content),
 * and in a tab-separated file an unquoted tab is a separator, so it never reaches a cell.
 */
export function checkControlCharacters(
  file: string,
  row: CsvRow,
  columns: readonly MappedColumn[],
  problems: SmsProblemList,
): boolean {
  let clean = true;
  for (const column of columns) {
    const raw = row.fields[column.index];
    // Almost every cell is clean: one scan of the raw text, and nothing else, for those.
    if (raw === undefined || controlCharacterIn(raw) === undefined) continue;
    const value = raw.trim();
    const code = controlCharacterIn(column.freeText ? value.replace(/[\t\n]/g, ' ') : value);
    if (code === undefined) continue;
    clean = false;
    problems.add(
      'format',
      `The ${column.use} holds the control character ${code}, which is never part of real text (a damaged export): correct the record in the SMS and export again`,
      {
        file,
        line: row.line,
        column: column.index + 1,
        field: column.header,
        expected: 'text without control characters',
        found: around(value, code),
      },
    );
  }
  return clean;
}

/** The value, or for a long one the stretch around the character, so the admin can find it. */
function around(value: string, code: string): string {
  if (value.length <= 2 * SHOWN_AROUND) return value;
  const at = value.indexOf(String.fromCharCode(Number.parseInt(code.slice(2), 16)));
  const start = Math.max(0, at - SHOWN_AROUND);
  const end = Math.min(value.length, at + SHOWN_AROUND);
  return `${start > 0 ? '…' : ''}${value.slice(start, end)}${end < value.length ? '…' : ''}`;
}
