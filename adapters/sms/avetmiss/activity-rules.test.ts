import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeAvetmissFolder } from '../../testing/sms-fixtures/avetmiss';
import { filesS, patchLine, resultRecord, withTempDir } from '../../testing/sms-support/avetmiss';
import { decideActivity } from './activity-rules';
import { exportNatResults } from './export-results';
import { readRecord } from './fields';
import { NAT00120 } from './layouts';
import { DEFAULT_OUTCOME_RULE } from './outcome-rule';
import { DEFAULT_ZIP_LIMITS } from './zip';

// Real-shaped NAT files (the AU fixture's NAT00120, AVETMISS 8.0 positions C.2) through the real writer.
const TODAY = '2026-12-07';

interface Row {
  line: number;
  client: string;
  subject: string;
}

/** The open (70) activities of the fixture's NAT00120, with their 1-based line numbers. */
function openRows(nat00120: string): Row[] {
  return nat00120
    .split('\r\n')
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => text !== '' && text.slice(71, 73) === '70')
    .map(({ text, line }) => ({ line, client: text.slice(20, 30).trim(), subject: text.slice(30, 42).trim() }));
}

const lineOf = (content: string, line: number) => content.split('\r\n')[line - 1]!;
const fieldsOf = (text: string) => readRecord(NAT00120, text, { file: 'NAT00120.txt', line: 1 }).values;

async function write(dir: string, nat00120: string, results: Parameters<typeof exportNatResults>[0]) {
  const files = { ...filesS(), NAT00120: nat00120 };
  await writeAvetmissFolder(join(dir, 'in'), files);
  const report = await exportNatResults(results, join(dir, 'out'), {
    original: join(dir, 'in'),
    courseFrom: 'subject',
    rule: DEFAULT_OUTCOME_RULE,
    zipLimits: DEFAULT_ZIP_LIMITS,
    today: TODAY,
  });
  const written = await readFile(join(dir, 'out', 'NAT00120.txt'), 'latin1');
  const csv = parse(await readFile(join(dir, 'out', 'NAT00120-results.csv'), 'utf8'), {
    columns: true,
  }) as Record<string, string>[];
  return { report, written, csv };
}

describe('NAT00120 rules beyond the outcome (activity-rules.ts)', () => {
  it('a result for an activity not yet started: kept as the SMS has it, refused with the reason for the person and unit', async () => {
    await withTempDir(async (dir) => {
      let nat = filesS().NAT00120!;
      const [future, started] = openRows(nat);
      // The activity starts in February (columns 53-60 start, 61-68 end: DDMMYYYY).
      nat = patchLine(nat, future!.line, 53, '0102202730062027');
      const { report, written, csv } = await write(dir, nat, [
        resultRecord(future!.client, future!.subject),
        resultRecord(started!.client, started!.subject),
      ]);
      expect(lineOf(written, future!.line)).toBe(lineOf(nat, future!.line));
      expect(fieldsOf(lineOf(written, started!.line)).outcome).toBe('20');
      expect(report.records).toBe(1);
      expect(report.refused).toEqual([
        {
          personSmsId: future!.client,
          courseSmsId: future!.subject,
          reason: expect.stringMatching(
            /starts on 2027-02-01 .*no result is recorded for it yet: outcome 70 \(Continuing enrolment\) kept instead of 20/,
          ),
          fix: expect.stringContaining('once the activity has started'),
        },
      ]);
      expect(report.refused![0]!.reason).toContain(`NAT00120.txt line ${future!.line}`);
      const row = csv.find((r) => r.client_id === future!.client)!;
      expect(row).toMatchObject({ outcome: '70', changed: 'no', activity_start_date: '2027-02-01' });
      expect(row.note).toContain('starts on 2027-02-01');
    });
  });

  it('a final outcome ends the activity on the day the result was seen, never before its start; hours attended stay as the SMS has them', async () => {
    await withTempDir(async (dir) => {
      let nat = filesS().NAT00120!;
      const [passed, early, continuing] = openRows(nat);
      // Hours attended (140-143) as the SMS had them: no Moodle function ClassBridge reads gives hours.
      nat = patchLine(nat, passed!.line, 140, '0012');
      const { report, written } = await write(dir, nat, [
        resultRecord(passed!.client, passed!.subject, { updatedAt: '2026-11-20T03:00:00.000Z' }),
        // A grade entered before the activity's start date (16 Aug 2026 in the fixture).
        resultRecord(early!.client, early!.subject, { updatedAt: '2026-08-01T03:00:00.000Z', gradePercent: 20 }),
        resultRecord(continuing!.client, continuing!.subject, { completed: false, progressPercent: 50 }),
      ]);
      expect(report.refused).toBeUndefined();
      const p = fieldsOf(lineOf(written, passed!.line));
      expect(p).toMatchObject({ outcome: '20', endDate: '2026-11-20', hoursAttended: '0012' });
      const e = fieldsOf(lineOf(written, early!.line));
      expect(e.outcome).toBe('30');
      expect(e.endDate).toBe(e.startDate);
      // Continuing keeps the planned end date: the line is unchanged.
      expect(lineOf(written, continuing!.line)).toBe(lineOf(nat, continuing!.line));
      for (const text of written.split('\r\n').filter((l) => l !== '')) {
        const values = fieldsOf(text);
        expect(values.endDate! >= values.startDate!).toBe(true);
      }
    });
  });

  it("an outcome code in the SMS's row that is not AVETMISS 8.0's: that row refused with the reason, the others written", async () => {
    await withTempDir(async (dir) => {
      let nat = filesS().NAT00120!;
      const [bad, good] = openRows(nat);
      nat = patchLine(nat, bad!.line, 72, '99');
      const { report, written } = await write(dir, nat, [
        resultRecord(bad!.client, bad!.subject),
        resultRecord(good!.client, good!.subject),
      ]);
      expect(lineOf(written, bad!.line)).toBe(lineOf(nat, bad!.line));
      expect(fieldsOf(lineOf(written, good!.line)).outcome).toBe('20');
      expect(report.refused).toHaveLength(1);
      expect(report.refused![0]).toMatchObject({ personSmsId: bad!.client, courseSmsId: bad!.subject });
      expect(report.refused![0]!.reason).toContain('"99" is not an AVETMISS 8.0 outcome identifier');
      expect(report.refused![0]!.fix).toContain('Correct the outcome in the SMS');
    });
  });

  it('validates the proposed code per row: a state-only or SMS-only code is refused, 85 may go to a future activity', () => {
    const values = { outcome: '70', startDate: '2026-08-16', endDate: '2027-06-10' };
    const seen = { updatedAt: '2026-11-20T03:00:00.000Z' };
    for (const code of ['25', '41', '60', '7']) {
      const decision = decideActivity(values, code, seen, { today: TODAY });
      expect(decision).toMatchObject({ kind: 'refuse', reason: expect.stringContaining(`outcome "${code}"`) });
    }
    const future = { ...values, startDate: '2027-02-01' };
    expect(decideActivity(future, '85', seen, { today: TODAY })).toEqual({
      kind: 'write',
      outcome: '85',
      endDate: undefined,
    });
    // An end date already past (the SMS's record of the end) stays; one before the start does not.
    expect(decideActivity({ ...values, endDate: '2026-11-01' }, '20', seen, { today: TODAY })).toMatchObject({
      kind: 'write',
      endDate: undefined,
    });
    expect(decideActivity({ ...values, endDate: '2026-08-01' }, '20', seen, { today: TODAY })).toMatchObject({
      kind: 'write',
      endDate: '2026-11-20',
    });
    // Started today counts as started.
    expect(decideActivity({ ...values, startDate: TODAY }, '20', seen, { today: TODAY })).toMatchObject({
      kind: 'write',
      outcome: '20',
      endDate: TODAY,
    });
  });
});
