import type { SmsProblemList, SmsWarning } from '../../contract';

/**
 * Warnings about fields ClassBridge does not use, collapsed per file + field + kind: a 200,000-row export
 * with every dateLastModified written the spreadsheet way gives one warning with a count and the first
 * line, not 200,000 (the admin can fix one column; a flood would hide every other warning).
 */
export class WarningTally {
  private readonly tallies = new Map<string, { warning: SmsWarning; found: string; count: number }>();

  note(file: string, line: number, field: string, message: string, found = ''): void {
    const key = `${file}\u0000${field}\u0000${message}`;
    const tally = this.tallies.get(key);
    if (tally) tally.count++;
    else this.tallies.set(key, { warning: { message, file, line, field }, found, count: 1 });
  }

  /** Appends one warning per tally ("… on 1200 rows, first on line 2, e.g. "1/05/2023"") and starts over. */
  flushInto(warnings: SmsWarning[]): void {
    for (const { warning, found, count } of this.tallies.values()) {
      const example = found ? `, e.g. ${JSON.stringify(found)}` : '';
      const rows = count === 1 ? `on line ${warning.line}` : `on ${count} rows, first on line ${warning.line}`;
      warnings.push({ ...warning, message: `${warning.message} (${rows}${example}); ClassBridge does not use it` });
    }
    this.tallies.clear();
  }
}

/** What a row check reports into: collapsed warnings for unused fields, collected problems for bad names. */
export interface RowNotes {
  tally: WarningTally;
  problems: SmsProblemList;
}
