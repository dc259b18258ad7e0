import type { SmsWarning } from '../../contract';
import { readRecord, type NatRecord, type RecordContext } from './fields';
import { LAYOUTS } from './layouts';
import { forEachLine } from './lines';
import type { NatEntry } from './source';
import { refuseRelease7 } from './version';

export type RecordHandler = (values: NatRecord, ctx: RecordContext, text: string) => void;

/**
 * Streams one NAT file through its 8.0 layout, record by record. Blank lines are skipped; data
 * beyond the national record length is tolerated (C.1) and reported once per file, not per line.
 * Returns the number of records.
 */
export async function readNatFile(entry: NatEntry, warnings: SmsWarning[], onRecord: RecordHandler): Promise<number> {
  const layout = LAYOUTS[entry.id];
  let records = 0;
  let extraRecords = 0;
  let firstExtraLine = 0;
  await forEachLine(entry.open(), entry.name, ({ text, line }) => {
    if (text.trim() === '') return;
    const ctx = { file: entry.name, line };
    if (records === 0) refuseRelease7(entry.id, text, ctx);
    const parsed = readRecord(layout, text, ctx);
    records += 1;
    if (parsed.extraLength > 0 && text.slice(layout.recordLength).trim() !== '') {
      extraRecords += 1;
      if (firstExtraLine === 0) firstExtraLine = line;
    }
    onRecord(parsed.values, ctx, text);
  });
  if (extraRecords > 0) {
    warnings.push({
      message: `${extraRecords} record(s) carry data beyond the 8.0 record length of ${layout.recordLength} (state extensions?); it was ignored`,
      file: entry.name,
      line: firstExtraLine,
    });
  }
  return records;
}
