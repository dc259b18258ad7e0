import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { avetmissZip, writeAvetmissFolder } from '../../testing/sms-fixtures/avetmiss';
import { createAvetmissAdapter } from './index';
import { filesS, importError, resultRecord, withTempDir } from '../../testing/sms-support/avetmiss';

/** The client, subject and outcome of each NAT00120 line. */
function activities(nat00120: string) {
  return nat00120
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => ({ client: l.slice(20, 30).trim(), subject: l.slice(30, 42).trim(), outcome: l.slice(71, 73) }));
}

describe('results write-back: NAT00120 rewritten (C.3)', () => {
  it('round trip: read, write with no results, same bytes', async () => {
    await withTempDir(async (dir) => {
      const files = filesS();
      await writeAvetmissFolder(join(dir, 'in'), files);
      const adapter = createAvetmissAdapter();
      await adapter.import({ kind: 'path', path: join(dir, 'in') });
      const report = await adapter.exportResults([], join(dir, 'out'));
      expect(report.files).toEqual([join(dir, 'out', 'NAT00120.txt'), join(dir, 'out', 'NAT00120-results.csv')]);
      expect(report.records).toBe(0);
      const original = await readFile(join(dir, 'in', 'NAT00120.txt'));
      expect((await readFile(report.files[0]!)).equals(original)).toBe(true);
    });
  });

  it('sets outcomes from LMS results by the rule, keeps every other byte, and writes a CSV alongside', async () => {
    await withTempDir(async (dir) => {
      const files = filesS();
      await writeAvetmissFolder(join(dir, 'in'), files);
      const rows = activities(files.NAT00120!);
      const open = rows.filter((r) => r.outcome === '70');
      const [passed, failed, ungraded, continuing] = open;
      const adapter = createAvetmissAdapter();
      await adapter.import({ kind: 'path', path: join(dir, 'in') });
      const report = await adapter.exportResults(
        [
          resultRecord(passed!.client, passed!.subject),
          resultRecord(failed!.client, failed!.subject, { gradePercent: 49.9, grade: 'Māori 49.9' }),
          resultRecord(ungraded!.client, ungraded!.subject, { gradePercent: null, grade: null }),
          resultRecord(continuing!.client, continuing!.subject, {
            completed: false,
            progressPercent: 40,
            gradePercent: null,
          }),
          resultRecord('nobody', 'BSBWHS311'),
        ],
        join(dir, 'out'),
      );
      const written = await readFile(report.files[0]!, 'latin1');
      const outcomes = new Map(activities(written).map((r) => [`${r.client}|${r.subject}`, r.outcome]));
      expect(outcomes.get(`${passed!.client}|${passed!.subject}`)).toBe('20');
      expect(outcomes.get(`${failed!.client}|${failed!.subject}`)).toBe('30');
      expect(outcomes.get(`${ungraded!.client}|${ungraded!.subject}`)).toBe('20');
      expect(outcomes.get(`${continuing!.client}|${continuing!.subject}`)).toBe('70');
      expect(report.records).toBe(3);
      // Only the outcome and, for a final outcome, the activity end date changed (activity-rules.ts).
      const before = files.NAT00120!.split('\r\n');
      const outside = (line: string) => line.slice(0, 60) + line.slice(68, 71) + line.slice(73);
      written.split('\r\n').forEach((line, i) => {
        expect(outside(line)).toBe(outside(before[i]!));
      });
      expect(report.warnings).toEqual([expect.objectContaining({ message: expect.stringContaining('client nobody') })]);
      const csv = parse(await readFile(report.files[1]!, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(csv).toHaveLength(4);
      expect(csv[0]).toMatchObject({
        client_id: passed!.client,
        previous_outcome: '70',
        outcome: '20',
        changed: 'yes',
      });
      expect(csv.find((r) => r.outcome === '30')?.grade).toBe('Maori 49.9');
    });
  });

  it('never overwrites SMS-only outcomes (RPL 51) nor reopens a final outcome', async () => {
    await withTempDir(async (dir) => {
      const files = filesS();
      await writeAvetmissFolder(dir, files);
      const rows = activities(files.NAT00120!);
      const rpl = rows.find((r) => r.outcome === '51')!;
      const achieved = rows.find((r) => r.outcome === '20')!;
      const adapter = createAvetmissAdapter({ originalActivities: join(dir, 'NAT00120.txt') });
      const report = await adapter.exportResults(
        [
          resultRecord(rpl.client, rpl.subject, { gradePercent: 10 }),
          resultRecord(achieved.client, achieved.subject, { completed: false }),
        ],
        join(dir, 'out'),
      );
      expect(report.records).toBe(0);
      const messages = report.warnings.map((w) => w.message).sort();
      expect(messages).toEqual([
        'final outcome 20 is not reopened to 70 from the LMS',
        'outcome 51 is set in the SMS only (C.3)',
      ]);
    });
  });

  it('uses a configurable rule, and refuses codes the LMS may not set before writing anything', async () => {
    expect(() => createAvetmissAdapter({ outcomeRule: { completedOutcome: '51' } })).toThrow(
      expect.objectContaining({
        kind: 'format',
        where: expect.objectContaining({ field: 'completedOutcome', found: '51' }),
      }),
    );
    expect(() => createAvetmissAdapter({ outcomeRule: { failedOutcome: '99' } })).toThrow(/may not set/);
    expect(() => createAvetmissAdapter({ outcomeRule: { passPercent: 140 } })).toThrow(/percentage/);
    await withTempDir(async (dir) => {
      const files = filesS();
      await writeAvetmissFolder(dir, files);
      const open = activities(files.NAT00120!).find((r) => r.outcome === '70')!;
      const adapter = createAvetmissAdapter({
        outcomeRule: { passPercent: 80, failedOutcome: '30', ungradedCompletedOutcome: '81' },
        originalActivities: dir,
      });
      await adapter.exportResults([resultRecord(open.client, open.subject, { gradePercent: 75 })], join(dir, 'out'));
      const written = activities(await readFile(join(dir, 'out', 'NAT00120.txt'), 'latin1'));
      expect(written.find((r) => r.client === open.client && r.subject === open.subject)?.outcome).toBe('30');
    });
  });

  it("courseFrom 'program' writes the program result to each of the client's activities in it", async () => {
    await withTempDir(async (dir) => {
      const files = filesS();
      await writeAvetmissFolder(dir, files);
      const line = files.NAT00120!.split('\r\n')[0]!;
      const client = line.slice(20, 30).trim();
      const program = line.slice(42, 52).trim();
      const adapter = createAvetmissAdapter({ courseFrom: 'program', originalActivities: dir });
      await adapter.exportResults([resultRecord(client, program)], join(dir, 'out'));
      const written = await readFile(join(dir, 'out', 'NAT00120.txt'), 'latin1');
      const mine = written.split('\r\n').filter((l) => l.slice(20, 30).trim() === client);
      expect(mine.length).toBeGreaterThan(1);
      expect(mine.every((l) => l.slice(42, 52).trim() === program)).toBe(true);
      // Every activity of the program is now achieved, except RPL (51), which only the SMS sets.
      expect(mine.every((l) => ['20', '51'].includes(l.slice(71, 73)))).toBe(true);
    });
  });

  it('reads the original from a zip, and needs an original', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'export.zip'), avetmissZip(filesS()));
      const adapter = createAvetmissAdapter();
      await adapter.import({ kind: 'path', path: join(dir, 'export.zip') });
      const report = await adapter.exportResults([], join(dir, 'out'));
      expect(await readFile(report.files[0]!, 'latin1')).toBe(filesS().NAT00120);
      const error = await importError(createAvetmissAdapter().exportResults([], join(dir, 'out2')));
      expect(error.kind).toBe('missing');
    });
  });
});
