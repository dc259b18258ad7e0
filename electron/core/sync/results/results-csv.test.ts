import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { writeResultsCsv } from './results-csv';

const tempDir = useTempDirs();

describe('writeResultsCsv', () => {
  it('writes a BOM, CRLF rows, and defuses formula-like grades', async () => {
    const file = join(tempDir(), 'out', 'results.csv');
    await writeResultsCsv(
      [
        {
          personSmsId: 'S1',
          courseSmsId: 'MATH',
          progressPercent: 66.666,
          grade: '=HYPERLINK("x")',
          gradePercent: null,
          completed: false,
          updatedAt: '2026-11-23T09:00:00.000Z',
        },
        {
          personSmsId: 'Māori-2',
          courseSmsId: 'MATH',
          progressPercent: 100,
          grade: '-',
          gradePercent: 72.5,
          completed: true,
          updatedAt: '2026-11-23T09:00:00.000Z',
        },
      ],
      file,
    );
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      'Person ID,Course ID,Progress %,Grade,Grade %,Completed,Updated At',
      `S1,MATH,66.67,"'=HYPERLINK(""x"")",,No,2026-11-23T09:00:00.000Z`,
      'Māori-2,MATH,100,-,72.5,Yes,2026-11-23T09:00:00.000Z',
      '',
    ]);
  });
});
