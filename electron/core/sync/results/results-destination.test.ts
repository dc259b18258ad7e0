import { existsSync, readdirSync } from 'node:fs';
import { copyFile, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { SmsSnapshot } from '../../../../adapters/contract';
import { createAvetmissAdapter } from '../../../../adapters/sms/avetmiss';
import { avetmissFiles, writeAvetmissFolder } from '../../../../adapters/testing/sms-fixtures/avetmiss';
import { resultRecord } from '../../../../adapters/testing/sms-support/avetmiss';
import { oneRosterFiles, writeFolder } from '../../../../adapters/testing/sms-fixtures/oneroster';
import { generateSchool, SIZE_S } from '../../../../adapters/testing/sms-fixtures/school';
import { useTempDirs } from '../../../test-support/temp';
import { DEFAULT_SETTINGS, LmsConnectionSchema, type SmsConnection, type SmsProvider } from '../../model';
import { openStore } from '../../store/store';
import { deliverResults } from './deliver-results';
import { readSmsSource } from '../../sms/import-snapshot';
import { ResultsDestinationError, resultsDestinationFor } from './results-destination';

const tempDir = useTempDirs();
const LMS = 'moodle-main';
const ON = { results: { autoExport: true } };
const OFF = { results: { autoExport: false } };

function sms(provider: SmsProvider, over: Partial<SmsConnection> = {}): SmsConnection {
  return { id: 'sms', kind: 'sms', provider, name: provider, options: {}, ...over };
}

/** results.csv as the generic CSV format writes it (BOM, header row), read back by csv-parse. */
async function readResultsCsv(path: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

/** An AVETMISS export folder, and its snapshot (with outcomes) as the AVETMISS reader sees it. */
async function natExport(): Promise<{ folder: string; snapshot: SmsSnapshot }> {
  const folder = join(tempDir(), 'nat-export');
  await writeAvetmissFolder(folder, avetmissFiles(generateSchool({ seed: 11, size: SIZE_S, country: 'au' })));
  return { folder, snapshot: await readNat(folder) };
}

async function readNat(folder: string): Promise<SmsSnapshot> {
  return (await createAvetmissAdapter().import({ kind: 'path', path: folder })).snapshot;
}

/** The outcome of every activity in a NAT export, read through the AVETMISS reader. */
function outcomes(snapshot: SmsSnapshot): Map<string, string | undefined> {
  return new Map(snapshot.enrolments.map((e) => [`${e.personSmsId}|${e.courseSmsId}`, e.outcome]));
}

/** Reads `nat` (a written NAT00120.txt) with the rest of the original export, as the SMS would. */
async function readWithOriginal(original: string, nat: string): Promise<SmsSnapshot> {
  const folder = join(tempDir(), 'check');
  await writeAvetmissFolder(folder, {});
  for (const name of readdirSync(original).filter((n) => !/^nat00120\.txt$/i.test(n))) {
    await copyFile(join(original, name), join(folder, name));
  }
  await copyFile(nat, join(folder, 'NAT00120.txt'));
  return readNat(folder);
}

function continuing(snapshot: SmsSnapshot) {
  return snapshot.enrolments.filter((e) => e.role === 'student' && e.outcome === '70');
}

const AVETMISS_RULE = { outcomePassPercent: 50 };

describe('resultsDestinationFor: AVETMISS (VETtrak, JobReady, PowerPro, Paradigm)', () => {
  it('writes NAT00120 outcomes by the connection rule, readable by the AVETMISS reader', async () => {
    const { folder, snapshot } = await natExport();
    const [passed, failed, ongoing] = continuing(snapshot);
    const out = join(tempDir(), 'results');
    const destination = resultsDestinationFor(
      sms('vettrak', { source: folder, options: { ...AVETMISS_RULE, outcomePassPercent: '60', resultsFolder: out } }),
      LMS,
      tempDir(),
      ON,
    );
    expect(destination.route).toBe('avetmiss');
    expect(destination.describe).toContain(`VETtrak's NAT00120.txt in ${out}`);
    expect(destination.describe).toContain('60 %');

    const report = await destination.write([
      resultRecord(passed!.personSmsId, passed!.courseSmsId, { gradePercent: 65 }),
      resultRecord(failed!.personSmsId, failed!.courseSmsId, { gradePercent: 55 }),
      resultRecord(ongoing!.personSmsId, ongoing!.courseSmsId, { completed: false, progressPercent: 40 }),
    ]);

    expect(report.where).toBe(join(out, 'NAT00120.txt'));
    expect(report.written).toBe(2);
    const after = outcomes(await readWithOriginal(folder, report.where));
    expect(after.get(`${passed!.personSmsId}|${passed!.courseSmsId}`)).toBe('20');
    expect(after.get(`${failed!.personSmsId}|${failed!.courseSmsId}`)).toBe('30');
    expect(after.get(`${ongoing!.personSmsId}|${ongoing!.courseSmsId}`)).toBe('70');
    // The SMS's own export is left as it was.
    expect(outcomes(await readNat(folder))).toEqual(outcomes(snapshot));
    const csv = parse(await readFile(join(out, 'NAT00120-results.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(csv.map((r) => r.outcome).sort()).toEqual(['20', '30', '70']);
  });

  it('through deliverResults: a later delivery of one changed result keeps the outcomes delivered before', async () => {
    const { folder, snapshot } = await natExport();
    const dataDir = tempDir();
    const store = openStore({ file: join(dataDir, 'classbridge.db') });
    try {
      store.connections.save(
        LmsConnectionSchema.parse({
          id: LMS,
          kind: 'lms',
          provider: 'moodle',
          name: 'Moodle',
          url: 'https://lms.test',
        }),
      );
      store.snapshot.replace(
        (await readSmsSource(createAvetmissAdapter(), { kind: 'path', path: folder })).snapshot,
        'test',
      );
      const [first, second] = continuing(snapshot);
      const lmsIds = new Map<string, number>();
      for (const course of snapshot.courses) lmsIds.set(course.smsId, lmsIds.size + 100);
      store.lmsCourses.recordSeen(
        LMS,
        snapshot.courses.map((c) => ({
          lmsId: lmsIds.get(c.smsId)!,
          shortname: c.code,
          fullname: c.name,
          idnumber: c.code,
        })),
      );
      const save = (e: typeof first, gradePercent: number) =>
        store.results.upsert({
          connectionId: LMS,
          lmsCourseId: lmsIds.get(e!.courseSmsId)!,
          personSmsId: e!.personSmsId,
          progressPercent: 100,
          grade: String(gradePercent),
          gradePercent,
          activities: [],
        });
      const destination = resultsDestinationFor(
        sms('jobready', { source: folder, options: AVETMISS_RULE }),
        LMS,
        dataDir,
        ON,
      );

      save(first, 80);
      expect((await deliverResults(store, LMS, (records) => destination.write(records))).delivered).toBe(1);
      save(second, 10);
      const delivered = await deliverResults(store, LMS, (records) => destination.write(records));
      expect(delivered.delivered).toBe(1);

      const written = join(dataDir, 'results', LMS, 'NAT00120.txt');
      const after = outcomes(await readWithOriginal(folder, written));
      expect(after.get(`${first!.personSmsId}|${first!.courseSmsId}`)).toBe('20');
      expect(after.get(`${second!.personSmsId}|${second!.courseSmsId}`)).toBe('30');
      expect(store.results.undelivered(LMS)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('takes a newer export from the SMS as the base instead of the file written before', async () => {
    const { folder, snapshot } = await natExport();
    const [first, second] = continuing(snapshot);
    const dataDir = tempDir();
    const destination = resultsDestinationFor(
      sms('powerpro', { source: folder, options: AVETMISS_RULE }),
      LMS,
      dataDir,
      ON,
    );
    const report = await destination.write([resultRecord(first!.personSmsId, first!.courseSmsId)]);
    // The SMS exports again later (without having imported ClassBridge's file).
    const later = new Date(Date.now() + 60_000);
    await utimes(join(folder, 'NAT00120.txt'), later, later);
    await destination.write([resultRecord(second!.personSmsId, second!.courseSmsId)]);
    const after = outcomes(await readWithOriginal(folder, report.where));
    expect(after.get(`${first!.personSmsId}|${first!.courseSmsId}`)).toBe('70');
    expect(after.get(`${second!.personSmsId}|${second!.courseSmsId}`)).toBe('20');
  });

  it('rewrites the export in place when resultsFolder is the export folder', async () => {
    const { folder, snapshot } = await natExport();
    const [first] = continuing(snapshot);
    const destination = resultsDestinationFor(
      sms('paradigm', { source: folder, options: { ...AVETMISS_RULE, resultsFolder: folder } }),
      LMS,
      tempDir(),
      ON,
    );
    await destination.write([resultRecord(first!.personSmsId, first!.courseSmsId)]);
    expect(readdirSync(folder).filter((n) => /^nat00120\.txt$/i.test(n))).toEqual(['NAT00120.txt']);
    expect(outcomes(await readNat(folder)).get(`${first!.personSmsId}|${first!.courseSmsId}`)).toBe('20');
  });

  it('without an outcome rule, write refuses and names the option and the fix; nothing is written', async () => {
    const { folder, snapshot } = await natExport();
    const [first] = continuing(snapshot);
    const dataDir = tempDir();
    const destination = resultsDestinationFor(sms('vettrak', { source: folder }), LMS, dataDir, ON);
    expect(destination.describe).toContain('outcomePassPercent');
    const error = await destination
      .write([resultRecord(first!.personSmsId, first!.courseSmsId)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultsDestinationError);
    expect((error as ResultsDestinationError).setting).toBe('outcomePassPercent');
    expect((error as Error).message).toMatch(/outcome rule is not set .*"outcomePassPercent".*for example 50/);
    expect(existsSync(join(dataDir, 'results'))).toBe(false);
  });

  it('refuses an outcome code the LMS may not set (C.3), naming its option', async () => {
    const { folder } = await natExport();
    const destination = resultsDestinationFor(
      sms('vettrak', { source: folder, options: { ...AVETMISS_RULE, outcomeCompleted: '51' } }),
      LMS,
      tempDir(),
      ON,
    );
    const error = (await destination.write([]).catch((e: unknown) => e)) as ResultsDestinationError;
    expect(error.setting).toBe('outcomeCompleted');
    expect(error.message).toContain('"outcomeCompleted"');
    expect(error.message).toContain('found "51"');
  });

  it('without an export folder (source), write refuses and names it', async () => {
    const destination = resultsDestinationFor(sms('vettrak', { options: AVETMISS_RULE }), LMS, tempDir(), ON);
    const error = (await destination
      .write([resultRecord('1', 'X')])
      .catch((e: unknown) => e)) as ResultsDestinationError;
    expect(error).toBeInstanceOf(ResultsDestinationError);
    expect(error.setting).toBe('source');
    expect(error.message).toContain('no export folder (source)');
  });
});

describe('resultsDestinationFor: OneRoster', () => {
  const school = generateSchool({ seed: 7, size: SIZE_S, country: 'nz' });

  it('writes lineItems.csv and results.csv with the terms of the export, rows readable as OneRoster CSV', async () => {
    const source = await writeFolder(oneRosterFiles(school, { version: '1.2' }), join(tempDir(), 'roster'));
    const out = join(tempDir(), 'gradebook');
    const destination = resultsDestinationFor(
      sms('oneroster', { source, options: { resultsFolder: out } }),
      LMS,
      tempDir(),
      ON,
    );
    expect(destination.route).toBe('oneroster');
    const [a, b] = school.enrolments;
    const report = await destination.write([
      resultRecord(a!.studentId, a!.classId, { gradePercent: 81, grade: 'A' }),
      resultRecord(b!.studentId, b!.classId, {
        completed: false,
        progressPercent: 40,
        grade: null,
        gradePercent: null,
      }),
    ]);
    expect(report.where).toBe(join(out, 'results.csv'));
    expect(report.written).toBe(3);
    const rows = parse(await readFile(join(out, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.studentSourcedId, r.classSourcedId, r.lineItemSourcedId, r.score])).toEqual([
      [a!.studentId, a!.classId, `classbridge-progress-${a!.classId}`, '100'],
      [a!.studentId, a!.classId, `classbridge-grade-${a!.classId}`, '81'],
      [b!.studentId, b!.classId, `classbridge-progress-${b!.classId}`, '40'],
    ]);
    const lineItems = parse(await readFile(join(out, 'lineItems.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    // Terms come from re-reading the export: every line item has its academic session.
    expect(lineItems.length).toBeGreaterThan(0);
    for (const item of lineItems) expect(item.academicSessionSourcedId).not.toBe('');
    expect(report.warnings).toEqual([]);
  });

  it('without the export (source), write refuses and names it', async () => {
    const destination = resultsDestinationFor(sms('oneroster'), LMS, tempDir(), ON);
    const error = (await destination
      .write([resultRecord('s', 'c')])
      .catch((e: unknown) => e)) as ResultsDestinationError;
    expect(error.setting).toBe('source');
    expect(error.message).toContain('no OneRoster export (source)');
  });

  it('an export that cannot be read is named with its file, and nothing is written', async () => {
    const out = join(tempDir(), 'gradebook');
    const destination = resultsDestinationFor(
      sms('oneroster', { source: join(tempDir(), 'gone.zip'), options: { resultsFolder: out } }),
      LMS,
      tempDir(),
      ON,
    );
    const error = (await destination
      .write([resultRecord('s', 'c')])
      .catch((e: unknown) => e)) as ResultsDestinationError;
    expect(error).toBeInstanceOf(ResultsDestinationError);
    expect(error.message).toContain('gone.zip');
    expect(existsSync(join(out, 'results.csv'))).toBe(false);
  });
});

describe('resultsDestinationFor: CSV and the fallback results.csv', () => {
  const records = [
    resultRecord('S1', 'C1', { grade: '=HYPERLINK("x")' }),
    resultRecord('S2', 'C1', { completed: false }),
  ];

  it('CSV files: results.csv in resultsFolder for the SMS to import', async () => {
    const out = join(tempDir(), 'sms-import');
    const destination = resultsDestinationFor(sms('csv', { options: { resultsFolder: out } }), LMS, tempDir(), ON);
    expect(destination.route).toBe('csv');
    const report = await destination.write(records);
    expect(report).toMatchObject({ written: 2, where: join(out, 'results.csv') });
    const rows = await readResultsCsv(report.where);
    expect(rows.map((r) => [r['Person ID'], r['Course Code'], r.Grade, r.Completed])).toEqual([
      ['S1', 'C1', `'=HYPERLINK("x")`, 'Yes'],
      ['S2', 'C1', '72.50', 'No'],
    ]);
  });

  it('no SMS connection: results.csv in <data>/results/<lms>/', async () => {
    const dataDir = tempDir();
    const destination = resultsDestinationFor(undefined, LMS, dataDir, ON);
    expect(destination.route).toBe('fallback-csv');
    expect(destination.describe).toContain('there is no SMS connection');
    const report = await destination.write(records);
    expect(report.where).toBe(join(dataDir, 'results', LMS, 'results.csv'));
    expect((await readResultsCsv(report.where)).map((r) => r['Person ID'])).toEqual(['S1', 'S2']);
  });

  it('useSms off counts as no SMS', () => {
    const destination = resultsDestinationFor(sms('csv'), LMS, tempDir(), { ...ON, useSms: false });
    expect(destination.route).toBe('fallback-csv');
  });

  it('auto-export off: the data folder, never the SMS export, and the description says why', async () => {
    const { folder } = await natExport();
    const before = await readFile(join(folder, 'NAT00120.txt'));
    const dataDir = tempDir();
    const destination = resultsDestinationFor(
      sms('vettrak', { source: folder, options: { resultsFolder: folder } }),
      LMS,
      dataDir,
      OFF,
    );
    expect(destination.route).toBe('fallback-csv');
    expect(destination.describe).toContain('results auto-export is off, so nothing is sent to VETtrak');
    const report = await destination.write(records);
    expect(report.where).toBe(join(dataDir, 'results', LMS, 'results.csv'));
    expect(await readResultsCsv(report.where)).toHaveLength(2);
    expect((await readFile(join(folder, 'NAT00120.txt'))).equals(before)).toBe(true);
    expect(DEFAULT_SETTINGS.results.autoExport).toBe(false);
  });

  it('KAMAR takes no results back: results.csv, and the description says so', async () => {
    const dataDir = tempDir();
    const destination = resultsDestinationFor(sms('kamar'), LMS, dataDir, ON);
    expect(destination.route).toBe('fallback-csv');
    expect(destination.describe).toContain('KAMAR does not take results back from ClassBridge');
    const report = await destination.write(records);
    expect(await readResultsCsv(report.where)).toHaveLength(2);
  });

  it.each(['assembly', 'etap', 'musac-edge'] as const)(
    '%s (upload only): results.csv to import by hand, said plainly',
    async (provider) => {
      const out = join(tempDir(), 'by-hand');
      const destination = resultsDestinationFor(sms(provider, { options: { resultsFolder: out } }), LMS, tempDir(), ON);
      expect(destination.route).toBe('fallback-csv');
      expect(destination.describe).toMatch(
        /to import into .* by hand: .* has no interface ClassBridge can send results to/,
      );
      const report = await destination.write(records);
      expect(report.where).toBe(join(out, 'results.csv'));
      expect(await readResultsCsv(report.where)).toHaveLength(2);
    },
  );
});
