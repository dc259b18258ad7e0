import type { SmsProblemList, SmsWarning } from '../../contract';
import { readRecord, type NatRecord, type RecordContext } from './fields';
import { LAYOUTS } from './layouts';
import { forEachLine } from './lines';
import type { NatEntry } from './source';

export type RecordHandler = (values: NatRecord, ctx: RecordContext, text: string) => void;

/** Where one import's record problems and warnings go (all files of the import share it). */
export interface ReadSink {
  problems: SmsProblemList;
  warnings: SmsWarning[];
}

/** DOS end-of-file mark: some old exporters end the file with it. */
const CTRL_Z = '\u001a';

/**
 * Streams one NAT file through its 8.0 layout, record by record, decoding it by its own encoding
 * (lines.ts). Empty lines are skipped; a line of spaces only is a problem (a blanked-out record,
 * never data to skip in silence); data beyond the national record length is tolerated (C.1) and
 * reported once per file, not per line.
 *
 * Record problems go to `sink.problems` so one import lists many; a damaged record is not given
 * to `onRecord`, only to `onDamaged` (to note its identifier, so references to it from other
 * files are not reported as a second problem). Returns the number of records read well.
 */
export async function readNatFile(
  entry: NatEntry,
  sink: ReadSink,
  onRecord: RecordHandler,
  onDamaged?: (values: NatRecord, ctx: RecordContext) => void,
): Promise<number> {
  const layout = LAYOUTS[entry.id];
  let records = 0;
  let extraRecords = 0;
  let firstExtraLine = 0;
  let endOfFileMark = 0;
  await forEachLine(entry.open(), entry.name, ({ text, line }) => {
    if (text === '') return;
    const ctx = { file: entry.name, line };
    if (endOfFileMark > 0) {
      // The mark was not the end after all: it is a control character like any other.
      readRecord(layout, CTRL_Z, { file: entry.name, line: endOfFileMark }, sink.problems);
      endOfFileMark = 0;
    }
    if (text === CTRL_Z) {
      endOfFileMark = line;
      return;
    }
    if (text.charCodeAt(0) === 32 && /^ +$/.test(text)) {
      sink.problems.add('format', 'A line of spaces only where a record is expected', {
        ...ctx,
        expected: `a ${entry.id} record (or no line at all)`,
        found: `${text.length} spaces`,
      });
      return;
    }
    const parsed = readRecord(layout, text, ctx, sink.problems);
    if (parsed.damaged) {
      onDamaged?.(parsed.values, ctx);
      return;
    }
    records += 1;
    if (parsed.extraLength > 0 && text.slice(layout.recordLength).trim() !== '') {
      extraRecords += 1;
      if (firstExtraLine === 0) firstExtraLine = line;
    }
    onRecord(parsed.values, ctx, text);
  });
  if (extraRecords > 0) {
    sink.warnings.push({
      message: `${extraRecords} record(s) carry data beyond the 8.0 record length of ${layout.recordLength} (state extensions?); it was ignored`,
      file: entry.name,
      line: firstExtraLine,
    });
  }
  return records;
}
