import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import {
  SmsImportError,
  type SmsExportReport,
  type SmsRefusedResult,
  type SmsResultRecord,
  type SmsWarning,
} from '../../contract';
import { courseIdOf, type CourseFrom } from './activities';
import { decideActivity, localIsoDate } from './activity-rules';
import { byteOrderMark, encodeText } from './encoding';
import { readRecord } from './fields';
import { fieldOf, NAT00120, natFileIdOf } from './layouts';
import { forEachLine } from './lines';
import { outcomeFor, type OutcomeRule } from './outcome-rule';
import { openNatPackage, type NatEntry } from './source';
import { CRLF, replaceField, toAscii } from './writer';
import type { ZipLimits } from './zip';

export interface ExportSettings {
  /** The original NAT00120: a NAT00120 file, or the folder or zip it came in. */
  original: string;
  courseFrom: CourseFrom;
  rule: OutcomeRule;
  zipLimits: ZipLimits;
  /** Today, ISO, in the RTO's time zone (default: the machine's date): what "the activity started" means. */
  today?: string;
}

const OUTCOME = fieldOf(NAT00120, 'outcome');
const END_DATE = fieldOf(NAT00120, 'endDate');
const CSV_COLUMNS = [
  'client_id',
  'subject_id',
  'program_id',
  'activity_start_date',
  'activity_end_date',
  'previous_outcome',
  'outcome',
  'changed',
  'grade',
  'grade_percent',
  'progress_percent',
  'completed',
  'lms_updated_at',
  'note',
];
const MAX_LISTED_WARNINGS = 50;

/**
 * Rewrites the original NAT00120 with outcomes derived from LMS results, line by line (the
 * original is streamed, never loaded whole), plus a CSV of every matched activity alongside.
 * Unmatched records are copied byte for byte, so a run with no results reproduces the original
 * (in its encoding, BOM included; line ends are written as CRLF).
 */
export async function exportNatResults(
  results: readonly SmsResultRecord[],
  folder: string,
  settings: ExportSettings,
): Promise<SmsExportReport> {
  const { entry, close } = await openOriginal(settings.original, settings.zipLimits);
  await mkdir(folder, { recursive: true });
  const sameFolder = (await stat(settings.original)).isDirectory() && resolve(settings.original) === resolve(folder);
  const natPath = resolve(folder, sameFolder ? entry.name : 'NAT00120.txt');
  const csvPath = resolve(folder, 'NAT00120-results.csv');
  const byKey = new Map<string, SmsResultRecord>();
  for (const result of results) byKey.set(`${result.personSmsId}\u0000${result.courseSmsId}`, result);
  const matched = new Set<string>();
  const warnings: SmsWarning[] = [];
  // Bytes, in the original's own encoding (encoding.ts): the SMS takes back what it wrote.
  const nat = createWriteStream(`${natPath}.tmp`);
  const csv = createWriteStream(`${csvPath}.tmp`, { encoding: 'utf8' });
  let written = 0;
  let kept = 0;
  const refused: SmsRefusedResult[] = [];
  const today = settings.today ?? localIsoDate(new Date());
  /** One NAT00120 line, with its outcome replaced when a result applies (and a CSV row for it). */
  const rewrite = (text: string, ctx: { file: string; line: number }): string => {
    if (text.trim() === '') return text;
    const values = readRecord(NAT00120, text, ctx).values;
    const key = `${values.clientId}\u0000${courseIdOf(values, settings.courseFrom)}`;
    const result = byKey.get(key);
    // Rows no result matches are the SMS's own, copied as they are (the import validated them).
    if (!result) return text;
    matched.add(key);
    const previous = values.outcome as string;
    // The NAT00120 rules (activity-rules.ts): started, valid codes, the end date of a final outcome.
    const decision = decideActivity(values, outcomeFor(result, settings.rule), result, { today });
    if (decision.kind !== 'write') {
      if (decision.kind === 'keep' && ++kept <= MAX_LISTED_WARNINGS)
        warnings.push({ ...ctx, message: decision.reason });
      if (decision.kind === 'refuse') {
        refused.push({
          personSmsId: result.personSmsId,
          courseSmsId: result.courseSmsId,
          reason: `${decision.reason} (${ctx.file} line ${ctx.line})`,
          fix: decision.fix,
        });
      }
      csv.write(csvRow(values, previous, previous, result, decision.reason));
      return text;
    }
    const { outcome, endDate } = decision;
    if (outcome === previous) {
      csv.write(csvRow(values, previous, outcome, result, ''));
      return text;
    }
    written += 1;
    csv.write(csvRow(values, previous, outcome, result, '', endDate));
    const withOutcome = replaceField(text, OUTCOME, outcome);
    return endDate === undefined || endDate === values.endDate
      ? withOutcome
      : replaceField(withOutcome, END_DATE, endDate);
  };
  try {
    csv.write(stringify([CSV_COLUMNS], { record_delimiter: 'windows' }));
    await forEachLine(
      entry.open(),
      entry.name,
      ({ text, line, encoding, bom }) => {
        if (line === 1 && bom) nat.write(byteOrderMark(encoding));
        nat.write(encodeText(rewrite(text, { file: entry.name, line }) + CRLF, encoding));
      },
      () => Promise.all([drained(nat), drained(csv)]).then(() => undefined),
    );
    await Promise.all([finish(nat), finish(csv)]);
    await rename(`${natPath}.tmp`, natPath);
    await rename(`${csvPath}.tmp`, csvPath);
  } catch (error) {
    nat.destroy();
    csv.destroy();
    await Promise.all([rm(`${natPath}.tmp`, { force: true }), rm(`${csvPath}.tmp`, { force: true })]);
    throw error;
  } finally {
    await close();
  }
  if (kept > MAX_LISTED_WARNINGS) {
    warnings.push({
      message: `… and ${kept - MAX_LISTED_WARNINGS} more outcomes kept as the SMS has them`,
      file: entry.name,
    });
  }
  warnings.push(...unmatchedWarnings(byKey, matched));
  return { files: [natPath, csvPath], records: written, warnings, ...(refused.length > 0 ? { refused } : {}) };
}

function csvRow(
  values: Record<string, string>,
  previous: string,
  outcome: string,
  result: SmsResultRecord,
  note: string,
  endDate?: string,
): string {
  const row = [
    values.clientId,
    values.subjectId,
    values.programId,
    values.startDate,
    endDate ?? values.endDate,
    previous,
    outcome,
    outcome !== previous ? 'yes' : 'no',
    toAscii(result.grade ?? ''),
    result.gradePercent ?? '',
    result.progressPercent,
    result.completed ? 'yes' : 'no',
    result.updatedAt,
    note,
  ];
  return stringify([row.map((cell) => String(cell ?? ''))], { record_delimiter: 'windows' });
}

function unmatchedWarnings(byKey: ReadonlyMap<string, SmsResultRecord>, matched: ReadonlySet<string>): SmsWarning[] {
  const unmatched = [...byKey.entries()].filter(([key]) => !matched.has(key)).map(([, result]) => result);
  const listed = unmatched.slice(0, MAX_LISTED_WARNINGS).map((r) => ({
    message: `No NAT00120 activity for client ${r.personSmsId} in ${r.courseSmsId}: result not written`,
    file: 'NAT00120.txt',
  }));
  if (unmatched.length > listed.length) {
    listed.push({
      message: `… and ${unmatched.length - listed.length} more results without an activity`,
      file: 'NAT00120.txt',
    });
  }
  return listed;
}

async function openOriginal(path: string, limits: ZipLimits): Promise<{ entry: NatEntry; close: () => Promise<void> }> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile() && natFileIdOf(basename(path)) === 'NAT00120') {
    const entry: NatEntry = {
      id: 'NAT00120',
      name: basename(path),
      size: info.size,
      open: () => createReadStream(path),
    };
    return { entry, close: async () => {} };
  }
  const pkg = await openNatPackage(path, limits);
  const entry = pkg.entries.get('NAT00120');
  if (!entry) {
    await pkg.close();
    throw new SmsImportError('missing', 'The original export has no NAT00120 to write results into', {
      file: join(dirname(path), 'NAT00120.txt'),
    });
  }
  return { entry, close: () => pkg.close() };
}

function drained(stream: WriteStream): Promise<void> {
  return stream.writableNeedDrain ? new Promise((done) => stream.once('drain', done)) : Promise.resolve();
}

function finish(stream: WriteStream): Promise<void> {
  return new Promise((done, fail) => {
    stream.once('error', fail);
    stream.end(done);
  });
}
