import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { avetmissV7Files, writeAvetmissFolder, type NatFiles } from '../../testing/sms-fixtures/avetmiss';
import { ddmmyyyyFromIso } from './fields';
import { createAvetmissAdapter } from './index';
import { filesS, importError, patchLine, schoolS, withTempDir } from '../../testing/sms-support/avetmiss';

/** Imports the files from a temp folder and returns the SmsImportError it must throw. */
async function refusal(files: NatFiles, courseFrom: 'subject' | 'program' = 'subject') {
  return withTempDir(async (dir) => {
    await writeAvetmissFolder(dir, files);
    return importError(createAvetmissAdapter({ courseFrom }).import({ kind: 'path', path: dir }));
  });
}

describe('AVETMISS import: refusals (all or nothing)', () => {
  it('a truncated file: the last record ends before its mandatory fields', async () => {
    const files = filesS();
    files.NAT00120 = files.NAT00120!.slice(0, files.NAT00120!.length - 120);
    const error = await refusal(files);
    const lines = files.NAT00120.split('\r\n').length;
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({ file: 'NAT00120.txt', line: lines, field: 'Activity start date' });
  });

  it('a wrong record length: a client record shorter than its mandatory fields', async () => {
    const files = filesS();
    files.NAT00080 = files.NAT00080!.replace(/^[^\r]*/, '100000');
    const error = await refusal(files);
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({ file: 'NAT00080.txt', line: 1, field: 'Name for encryption', column: 11 });
  });

  it('a non-numeric numeric field', async () => {
    const error = await refusal({ ...filesS(), NAT00060: patchLine(filesS().NAT00060!, 2, 120, '4O') });
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({ file: 'NAT00060.txt', line: 2, field: 'Nominal hours', found: '4O40' });
  });

  it('a bad date (31022001)', async () => {
    const error = await refusal({ ...filesS(), NAT00080: patchLine(filesS().NAT00080!, 4, 74, '31022001') });
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({ line: 4, column: 74, field: 'Date of birth', found: '31022001' });
    expect(error.describe()).toBe(
      'NAT00080.txt, line 4, column 74, field Date of birth: Not a real date: expected a date DDMMYYYY, found "31022001"',
    );
  });

  it('an unknown outcome code, with the expected list', async () => {
    const error = await refusal({ ...filesS(), NAT00120: patchLine(filesS().NAT00120!, 5, 72, '25') });
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({ line: 5, column: 72, found: '25' });
    expect(error.where.expected).toBe('one of 20, 30, 40, 41, 51, 52, 53, 54, 60, 65, 70, 81, 82, 85, 90');
  });

  it('a duplicate client id in NAT00080', async () => {
    const files = filesS();
    const [first] = files.NAT00080!.split('\r\n');
    files.NAT00080 += `${first}\r\n`;
    const error = await refusal(files);
    expect(error.kind).toBe('duplicate');
    expect(error.where).toMatchObject({
      file: 'NAT00080.txt',
      field: 'Client identifier',
      found: first!.slice(0, 10).trim(),
    });
    expect(error.where.expected).toContain('first seen on line 1');
  });

  it('an enrolment (NAT00120) for a client missing from NAT00080', async () => {
    const error = await refusal({ ...filesS(), NAT00120: patchLine(filesS().NAT00120!, 7, 21, '999999    ') });
    expect(error.kind).toBe('reference');
    expect(error.where).toMatchObject({ file: 'NAT00120.txt', line: 7, field: 'Client identifier', found: '999999' });
  });

  it('an activity for a subject missing from NAT00060, or a delivery location missing from NAT00020', async () => {
    const subject = await refusal({ ...filesS(), NAT00120: patchLine(filesS().NAT00120!, 2, 31, 'NOPE01      ') });
    expect(subject).toMatchObject({ kind: 'reference', where: { line: 2, field: 'Subject identifier' } });
    const location = await refusal({ ...filesS(), NAT00120: patchLine(filesS().NAT00120!, 3, 11, 'ELSEWHERE ') });
    expect(location).toMatchObject({
      kind: 'reference',
      where: { line: 3, found: 'training organisation 90001, delivery location ELSEWHERE' },
    });
    expect(location.where.expected).toContain('NAT00020 has no delivery location ELSEWHERE');
  });

  it('an organisation + location pair missing from NAT00020 names both ids, and what NAT00020 lists', async () => {
    // MAIN is in NAT00020, but under training organisation 90001, not 90002.
    const error = await refusal({ ...filesS(), NAT00120: patchLine(filesS().NAT00120!, 6, 1, '90002     ') });
    expect(error.kind).toBe('reference');
    expect(error.message).toBe('The training organisation and delivery location pair is not in NAT00020');
    expect(error.where).toMatchObject({
      file: 'NAT00120.txt',
      line: 6,
      field: 'Training organisation identifier + Training organisation delivery location identifier',
      found: 'training organisation 90002, delivery location MAIN',
    });
    expect(error.where.expected).toContain('delivery location MAIN only under training organisation 90001');
  });

  it('an empty NAT00080', async () => {
    const error = await refusal({ ...filesS(), NAT00080: '' });
    expect(error).toMatchObject({ kind: 'empty', where: { file: 'NAT00080.txt' } });
  });

  it('a folder without NAT00080, an empty folder, no NAT00120, no course file', async () => {
    const files = filesS();
    delete files.NAT00080;
    expect((await refusal(files)).kind).toBe('missing');
    expect((await refusal({})).kind).toBe('empty');
    const noActivities = filesS();
    delete noActivities.NAT00120;
    expect(await refusal(noActivities)).toMatchObject({ kind: 'missing', where: { file: 'NAT00120.txt' } });
    const noPrograms = filesS();
    delete noPrograms.NAT00030;
    expect(await refusal(noPrograms, 'program')).toMatchObject({ kind: 'missing', where: { file: 'NAT00030.txt' } });
  });

  it('a single NAT file is told to bring the whole export, by name', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'NAT00120.txt'), filesS().NAT00120!);
      const error = await importError(
        createAvetmissAdapter().import({ kind: 'path', path: join(dir, 'NAT00120.txt') }),
      );
      expect(error.kind).toBe('format');
      expect(error.message).toBe('This is a single NAT file (NAT00120); import the whole export');
      expect(error.where.expected).toContain('NAT00080 and NAT00120');
    });
  });

  it('a path that does not exist, a plain file, and pushed payloads', async () => {
    await withTempDir(async (dir) => {
      const adapter = createAvetmissAdapter();
      expect((await importError(adapter.import({ kind: 'path', path: join(dir, 'nope') }))).kind).toBe('missing');
      await writeFile(join(dir, 'export.dat'), 'x');
      expect((await importError(adapter.import({ kind: 'path', path: join(dir, 'export.dat') }))).kind).toBe('format');
      expect((await importError(adapter.import({ kind: 'payloads', payloads: [] }))).kind).toBe('format');
    });
  });

  it('two NAT00080 files in one folder (names differing in case)', async () => {
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, filesS());
      await writeFile(join(dir, 'nat00080.txt'), filesS().NAT00080!);
      const error = await importError(createAvetmissAdapter().import({ kind: 'path', path: dir }));
      expect(error.kind).toBe('duplicate');
    });
  });

  it('a line far longer than any record (binary data)', async () => {
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, { ...filesS(), NAT00060: 'x'.repeat(100_000) });
      await mkdir(join(dir, 'sub'));
      const error = await importError(createAvetmissAdapter().import({ kind: 'path', path: dir }));
      expect(error).toMatchObject({ kind: 'format', where: { file: 'NAT00060.txt', line: 1 } });
    });
  });
});

describe('AVETMISS 7.0 is detected and refused', () => {
  // 7.0 records shaped like jobready/avetmiss_data's v7 fixtures (layouts in version.ts).
  it('NAT00120 without the training organisation identifier', async () => {
    const v7 =
      '4712      12345     BSBCUS402A  UTE31206  160420131608201530700000134bc123     bc123     @@N70    0000Z               0000\r\n';
    const error = await refusal({ ...filesS(), NAT00120: v7 });
    expect(error.kind).toBe('unsupported-version');
    expect(error.where).toMatchObject({ file: 'NAT00120.txt', line: 1, expected: 'AVETMISS 8.0 record layout' });
    expect(error.where.found).toContain('7.0 layout');
  });

  it('NAT00080 with the year highest school level completed before gender', async () => {
    const v7 = `${'12345'.padEnd(10)}${'Franklin, Mount'.padEnd(60)}091990M02091964285021201030012YYY Aarons Pass\r\n`;
    expect(await refusal({ ...filesS(), NAT00080: v7 })).toMatchObject({ kind: 'unsupported-version' });
  });

  it('NAT00060 with the subject flag in column 1', async () => {
    const v7 = `C${'BSBCUS402A'.padEnd(12)}${'Deliver service'.padEnd(100)}080301Y0040\r\n`;
    expect(await refusal({ ...filesS(), NAT00060: v7 })).toMatchObject({ kind: 'unsupported-version' });
  });

  it('a whole 7.0 set is read as 7.0: every 7.0 file is listed, NAT00010 and NAT00130 included', async () => {
    const error = await refusal(avetmissV7Files(schoolS()));
    expect(error.kind).toBe('unsupported-version');
    expect(error.message).toBe('This is an AVETMISS 7.0 export; only 8.0 is supported');
    expect(error.problems.map((p) => p.where.file).sort()).toEqual([
      'NAT00010.txt',
      'NAT00060.txt',
      'NAT00080.txt',
      'NAT00120.txt',
      'NAT00130.txt',
    ]);
    const byFile = new Map(error.problems.map((p) => [p.where.file, p.where]));
    expect(byFile.get('NAT00010.txt')?.found).toContain('training organisation type identifier at columns 111-112');
    expect(byFile.get('NAT00130.txt')).toMatchObject({ line: 1, expected: 'AVETMISS 8.0 record layout' });
    expect(byFile.get('NAT00130.txt')?.found).toContain('year program completed at columns 31-34');
  });

  it('a 7.0 NAT00130 (year completed, 35 characters) in an 8.0 export is named as 7.0, not as truncated', async () => {
    const error = await refusal({ ...filesS(), NAT00130: avetmissV7Files(schoolS()).NAT00130! });
    expect(error.kind).toBe('unsupported-version');
    expect(error.message).toBe('Part of this export is in the AVETMISS 7.0 layout; only 8.0 is supported');
    expect(error.where).toMatchObject({ file: 'NAT00130.txt', line: 1 });
    expect(error.problems).toHaveLength(1);
  });

  it('an 8.0 NAT00130 is read; a 7.0-style NAT00010 alone does not refuse an 8.0 export', async () => {
    // State 8.0 layouts may still fill NAT00010's type and address block, which 8.0 does not read.
    const school = schoolS();
    const enrolment = school.enrolments[0]!;
    const program = school.courses.find((c) => c.id === enrolment.courseId)!.programCode!;
    const completion = `${'90001'.padEnd(10)}${program.padEnd(10)}${enrolment.studentId.padEnd(10)}${ddmmyyyyFromIso(enrolment.endDate)}Y\r\n`;
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, {
        ...filesS(),
        NAT00010: avetmissV7Files(school).NAT00010!,
        NAT00130: completion,
      });
      const { snapshot } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
      expect(snapshot.people).toHaveLength(school.students.length);
    });
  });
});
