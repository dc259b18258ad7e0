import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { SmsImportError, type SmsExportReport, type SmsResultRecord, type SmsWarning } from '../../contract';
import { checkOutcome, courseIdOf, type CourseFrom } from './activities';
import { byteOrderMark, encodeText } from './encoding';
import { readRecord } from './fields';
import { fieldOf, NAT00120, natFileIdOf } from './layouts';
import { forEachLine } from './lines';
import { decideOutcome, outcomeFor, type OutcomeRule } from './outcome-rule';
import { openNatPackage, type NatEntry } from './source';
import { CRLF, replaceField, toAscii } from './writer';
import type { ZipLimits } from './zip';

export interface ExportSettings {
  /** The original NAT00120: a NAT00120 file, or the folder or zip it came in. */
  original: string;
  courseFrom: CourseFrom;
  rule: OutcomeRule;
  zipLimits: ZipLimits;
}

const OUTCOME = fieldOf(NAT00120, 'outcome');
const CSV_COLUMNS = [
  'client_id',
  'subject_id',
  'program_id',
  'activity_start_date',
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
  /** One NAT00120 line, with its outcome replaced when a result applies (and a CSV row for it). */
  const rewrite = (text: string, ctx: { file: string; line: number }): string => {
    if (text.trim() === '') return text;
    const values = readRecord(NAT00120, text, ctx).values;
    checkOutcome(values, ctx);
    const key = `${values.clientId}\u0000${courseIdOf(values, settings.courseFrom)}`;
    const result = byKey.get(key);
    if (!result) return text;
    matched.add(key);
    const previous = values.outcome as string;
    const decision = decideOutcome(previous, outcomeFor(result, settings.rule));
    const outcome = decision.write ? decision.outcome : previous;
    if (outcome !== previous) written += 1;
    if (!decision.write && ++kept <= MAX_LISTED_WARNINGS) warnings.push({ ...ctx, message: decision.reason });
    csv.write(csvRow(values, previous, outcome, result, decision.write ? '' : decision.reason));
    return outcome === previous ? text : replaceField(text, OUTCOME, outcome);
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
  return { files: [natPath, csvPath], records: written, warnings };
}

function csvRow(
  values: Record<string, string>,
  previous: string,
  outcome: string,
  result: SmsResultRecord,
  note: string,
): string {
  const row = [
    values.clientId,
    values.subjectId,
    values.programId,
    values.startDate,
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
