import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { SmsResultRecord } from '../../contract';
import { writeFolder } from '../../testing/sms-fixtures/oneroster';
import { createOneRosterAdapter } from './index';
import { cleanTempDirs, school, schoolFiles, tempDir } from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

async function readCsv(folder: string, name: string): Promise<Record<string, string>[]> {
  return parse(await readFile(join(folder, name), 'utf8'), { columns: true }) as Record<string, string>[];
}

async function header(folder: string, name: string): Promise<string[]> {
  return (parse(await readFile(join(folder, name), 'utf8'), { to_line: 1 }) as string[][])[0]!;
}

const results = (courseOf: (classId: string, courseId: string) => string): SmsResultRecord[] =>
  school.enrolments.slice(0, 6).map((e, i) => ({
    personSmsId: e.studentId,
    courseSmsId: courseOf(e.classId, e.courseId),
    progressPercent: 50 + i,
    grade: i === 0 ? 'B+' : i === 1 ? null : `${60 + i}.50`,
    gradePercent: i === 0 || i === 1 ? null : 60.5 + i,
    completed: i > 3,
    updatedAt: '2026-06-01T10:00:00.000Z',
  }));

describe('OneRoster results write-back (E.3)', () => {
  it('writes 1.2 lineItems, results, categories and a manifest that read back with the required headers', async () => {
    const adapter = createOneRosterAdapter();
    await adapter.import({ kind: 'path', path: await writeFolder(schoolFiles('1.2'), await tempDir()) });
    const out = await tempDir();
    const report = await adapter.exportResults!(
      results((classId) => classId),
      out,
    );
    expect(report.files.map((f) => f.slice(out.length + 1))).toEqual([
      'categories.csv',
      'lineItems.csv',
      'results.csv',
      'manifest.csv',
    ]);
    for (const column of [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'assignDate',
      'dueDate',
      'classSourcedId',
      'categorySourcedId',
      'academicSessionSourcedId',
    ]) {
      expect(await header(out, 'lineItems.csv')).toContain(column);
    }
    for (const column of [
      'sourcedId',
      'lineItemSourcedId',
      'studentSourcedId',
      'classSourcedId',
      'scoreStatus',
      'score',
      'textScore',
      'scoreDate',
    ]) {
      expect(await header(out, 'results.csv')).toContain(column);
    }
    const manifest = Object.fromEntries((await readCsv(out, 'manifest.csv')).map((r) => [r.propertyName, r.value]));
    expect(manifest).toMatchObject({
      'oneroster.version': '1.2',
      'file.lineItems': 'delta',
      'file.results': 'delta',
      'file.users': 'absent',
    });

    const lineItems = await readCsv(out, 'lineItems.csv');
    const klass = school.enrolments[0]!.classId;
    expect(
      lineItems
        .filter((l) => l.classSourcedId === klass)
        .map((l) => l.title)
        .sort(),
    ).toEqual(['Course grade', 'Progress']);
    expect(lineItems[0]).toMatchObject({
      resultValueMin: '0',
      resultValueMax: '100',
      assignDate: school.courses[0]!.startDate,
      dueDate: school.courses[0]!.endDate,
      schoolSourcedId: 'org-school',
    });
    expect(lineItems[0]!.academicSessionSourcedId).toMatch(/^as-term-/);

    const rows = await readCsv(out, 'results.csv');
    // 6 progress results + 5 grades (one result has no grade at all).
    expect(rows).toHaveLength(11);
    expect(report.records).toBe(11);
    const letter = rows.find((r) => r.textScore === 'B+')!;
    expect(letter).toMatchObject({
      score: '',
      scoreStatus: 'partially graded',
      scoreDate: '2026-06-01',
      studentSourcedId: school.enrolments[0]!.studentId,
    });
    expect(rows.find((r) => r.score === '65.5')).toMatchObject({ scoreStatus: 'fully graded', textScore: '65.50' });
    expect(new Set(rows.map((r) => r.sourcedId)).size).toBe(rows.length);
  });

  it('answers in 1.1 after a 1.1 import, with grading periods and numeric scores only', async () => {
    const adapter = createOneRosterAdapter();
    await adapter.import({ kind: 'path', path: await writeFolder(schoolFiles('1.1'), await tempDir()) });
    const out = await tempDir();
    const report = await adapter.exportResults!(
      results((classId) => classId),
      out,
    );
    expect(await header(out, 'lineItems.csv')).toEqual([
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'description',
      'assignDate',
      'dueDate',
      'classSourcedId',
      'categorySourcedId',
      'gradingPeriodSourcedId',
      'resultValueMin',
      'resultValueMax',
    ]);
    expect(await header(out, 'results.csv')).toEqual([
      'sourcedId',
      'status',
      'dateLastModified',
      'lineItemSourcedId',
      'studentSourcedId',
      'scoreStatus',
      'score',
      'scoreDate',
      'comment',
    ]);
    const rows = await readCsv(out, 'results.csv');
    expect(rows.every((r) => r.score !== '' && !Number.isNaN(Number(r.score)))).toBe(true);
    expect(report.warnings).toContainEqual(expect.objectContaining({ field: 'score' }));
    expect((await readCsv(out, 'manifest.csv')).find((r) => r.propertyName === 'oneroster.version')?.value).toBe('1.1');
    expect((await readCsv(out, 'categories.csv'))[0]).toMatchObject({ sourcedId: 'classbridge' });
  });

  it("in 'course' mode finds each student's class, and without an import defaults to 1.2", async () => {
    const adapter = createOneRosterAdapter({ courseFrom: 'course' });
    await adapter.import({ kind: 'path', path: await writeFolder(schoolFiles('1.2'), await tempDir()) });
    const out = await tempDir();
    await adapter.exportResults!(
      results((_, courseId) => courseId),
      out,
    );
    const rows = await readCsv(out, 'results.csv');
    expect(rows.find((r) => r.studentSourcedId === school.enrolments[0]!.studentId)?.classSourcedId).toBe(
      school.enrolments[0]!.classId,
    );

    const fresh = createOneRosterAdapter();
    expect(fresh.describe()).toMatchObject({ provider: 'oneroster', capabilities: { resultsWriteBack: ['file'] } });
    const out2 = await tempDir();
    const report = await fresh.exportResults!(
      results((classId) => classId),
      out2,
    );
    expect(await header(out2, 'results.csv')).toContain('textScore');
    expect(report.warnings).toContainEqual(expect.objectContaining({ file: 'lineItems.csv' }));
  });
});
