import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsResultRecord } from '../../contract';
import { exportResults } from './export-results';
import { importFiles } from '../../testing/sms-support/csv';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cb-csv-results-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const results: SmsResultRecord[] = [
  {
    personSmsId: '100001',
    courseSmsId: '10MAO',
    progressPercent: 66.666,
    grade: 'Kaiaka, "Merit"',
    gradePercent: 72.5,
    completed: false,
    updatedAt: '2026-05-01T03:00:00.000Z',
  },
  {
    personSmsId: '100002',
    courseSmsId: '10MAT',
    progressPercent: 100,
    grade: null,
    gradePercent: null,
    completed: true,
    updatedAt: '2026-05-02T03:00:00.000Z',
  },
  {
    personSmsId: '100003',
    courseSmsId: '10ENG',
    progressPercent: 0,
    grade: '=HYPERLINK("http://x")',
    gradePercent: null,
    completed: false,
    updatedAt: '2026-05-02T03:00:00.000Z',
  },
];

describe('exportResults', () => {
  it('writes results.csv in UTF-8 with a BOM and CRLF, one row per result', async () => {
    const report = await exportResults(results, join(folder, 'out'));
    expect(report).toEqual({ files: [join(folder, 'out', 'results.csv')], records: 3, warnings: [] });
    const bytes = await readFile(join(folder, 'out', 'results.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('Person ID,Course Code,Progress %,Grade,Grade %,Completed,Updated At');
    expect(lines[1]).toBe('100001,10MAO,66.67,"Kaiaka, ""Merit""",72.5,No,2026-05-01T03:00:00.000Z');
    expect(lines[2]).toBe('100002,10MAT,100,,,Yes,2026-05-02T03:00:00.000Z');
    expect(await readdir(join(folder, 'out'))).toEqual(['results.csv']);
  });

  it('neutralises text that Excel would run as a formula', async () => {
    await exportResults(results, folder);
    const text = await readFile(join(folder, 'results.csv'), 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('reads back through the CSV importer (macrons survive the round trip)', async () => {
    const report = await exportResults([{ ...results[0]!, grade: 'Māori: Kaiaka' }], join(folder, 'rt'));
    const bytes = await readFile(report.files[0] ?? '');
    const { snapshot } = await importFiles(
      { 'results.csv': bytes },
      {
        mode: 'combined',
        file: 'results.csv',
        person: { smsId: 'Person ID', givenName: 'Grade', familyName: 'Completed' },
        course: { smsId: 'Course Code' },
      },
    );
    expect(snapshot.people[0]?.givenName).toBe('Māori: Kaiaka');
  });
});
