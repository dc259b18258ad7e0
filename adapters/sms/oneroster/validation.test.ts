import { afterAll, describe, expect, it } from 'vitest';
import { oneRosterManifest } from '../../testing/sms-fixtures/oneroster';
import { createOneRosterAdapter } from './index';
import {
  cleanTempDirs,
  expectImportError,
  importFolder,
  importZip,
  school,
  schoolFiles,
  tempDir,
  withFile,
} from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

/** Every bad input the task names, each refused with the right kind and where (all-or-nothing). */
describe('OneRoster validation', () => {
  it('unbalanced quotes → format, with file and the line where the record starts', async () => {
    const files = withFile(schoolFiles('1.1'), 'users.csv', (t) => {
      const lines = t.split('\n');
      lines[4] = lines[4]!.replace(',', ',"');
      return lines.join('\n');
    });
    await expectImportError(importFolder(files), 'format', { file: 'users.csv', line: 5 });
  });

  it('a record with the wrong number of fields → format with its line', async () => {
    const files = withFile(schoolFiles('1.1'), 'classes.csv', (t) => t.replace(/\n([^\n]*)\n/, '\n$1,extra\n'));
    await expectImportError(importFolder(files), 'format', { file: 'classes.csv', line: 2 });
  });

  it('a missing required column → missing, naming file and column', async () => {
    const files = withFile(schoolFiles('1.2'), 'users.csv', (t) => t.replace('familyName', 'surname'));
    await expectImportError(importFolder(files), 'missing', { file: 'users.csv', field: 'familyName' });
  });

  it('a required value left empty → missing with line and field', async () => {
    const student = school.students[2]!;
    const files = withFile(schoolFiles('1.1'), 'users.csv', (t) =>
      t.replace(`,${student.givenName},${student.familyName},`, `,,${student.familyName},`),
    );
    await expectImportError(importFolder(files), 'missing', { file: 'users.csv', line: 4, field: 'givenName' });
  });

  it('the same sourcedId twice → duplicate', async () => {
    const files = withFile(schoolFiles('1.1'), 'users.csv', (t) => {
      const lines = t.trimEnd().split('\n');
      return [...lines, lines[1]].join('\n');
    });
    const lines = files['users.csv']!.split('\n').length;
    await expectImportError(importFolder(files), 'duplicate', {
      file: 'users.csv',
      line: lines,
      field: 'sourcedId',
      found: school.students[0]!.id,
    });
  });

  it('an enrollment for a user that does not exist → reference', async () => {
    const student = school.students[0]!;
    const files = withFile(schoolFiles('1.2'), 'enrollments.csv', (t) =>
      t.replace(`,${student.id},student`, ',999999,student'),
    );
    await expectImportError(importFolder(files), 'reference', {
      file: 'enrollments.csv',
      field: 'userSourcedId',
      found: '999999',
    });
  });

  it('an enrollment for a class that does not exist → reference', async () => {
    const klass = school.classes[0]!;
    const files = withFile(schoolFiles('1.1'), 'enrollments.csv', (t) =>
      t.replace(`,${klass.id},org-school`, ',no-such-class,org-school'),
    );
    await expectImportError(importFolder(files), 'reference', {
      file: 'enrollments.csv',
      line: 2,
      field: 'classSourcedId',
      found: 'no-such-class',
    });
  });

  it('a bad date in academicSessions → format with line and field', async () => {
    const term = school.courses[0]!;
    const files = withFile(schoolFiles('1.1'), 'academicSessions.csv', (t) =>
      t.replace(`,term,${term.startDate},`, `,term,${dmy(term.startDate)},`),
    );
    await expectImportError(importFolder(files), 'format', {
      file: 'academicSessions.csv',
      line: 3,
      field: 'startDate',
      expected: 'a date YYYY-MM-DD',
      found: dmy(term.startDate),
    });
  });

  it('an impossible date (31 February) → format', async () => {
    const term = school.courses[0]!;
    const files = withFile(schoolFiles('1.1'), 'academicSessions.csv', (t) =>
      t.replace(`,${term.endDate},as-year`, `,${term.endDate.slice(0, 4)}-02-31,as-year`),
    );
    await expectImportError(importFolder(files), 'format', { file: 'academicSessions.csv', field: 'endDate' });
  });

  it('a users file with a header and no users → empty', async () => {
    const files = withFile(schoolFiles('1.1'), 'users.csv', (t) => t.split('\n')[0]!);
    await expectImportError(importFolder(files), 'empty', { file: 'users.csv' });
  });

  it('a zero-byte users file → empty', async () => {
    await expectImportError(importFolder({ ...schoolFiles('1.1'), 'users.csv': '' }), 'empty', { file: 'users.csv' });
  });

  it('no manifest → unsupported-version', async () => {
    const { 'manifest.csv': _, ...rest } = schoolFiles('1.1');
    await expectImportError(importFolder(rest), 'unsupported-version', { file: 'manifest.csv' });
  });

  it('OneRoster 1.0 → unsupported-version', async () => {
    const files = { ...schoolFiles('1.1'), 'manifest.csv': oneRosterManifest('1.0', { users: 'bulk' }) };
    await expectImportError(importFolder(files), 'unsupported-version', { field: 'oneroster.version', found: '1.0' });
  });

  it('a manifest without oneroster.version or with the wrong header → unsupported-version', async () => {
    await expectImportError(
      importFolder({ ...schoolFiles('1.1'), 'manifest.csv': 'propertyName,value\nfile.users,bulk\n' }),
      'unsupported-version',
      { found: '(absent)' },
    );
    await expectImportError(
      importFolder({ ...schoolFiles('1.1'), 'manifest.csv': 'name,val\noneroster.version,1.1\n' }),
      'unsupported-version',
      { line: 1 },
    );
  });

  it('a file mode other than bulk/delta/absent → format', async () => {
    const files = withFile(schoolFiles('1.1'), 'manifest.csv', (t) => t.replace('file.users,bulk', 'file.users,full'));
    await expectImportError(importFolder(files), 'format', {
      file: 'manifest.csv',
      field: 'file.users',
      found: 'full',
    });
  });

  it('a file the manifest lists but that is not there → missing', async () => {
    const { 'courses.csv': _, ...rest } = schoolFiles('1.1');
    await expectImportError(importFolder(rest), 'missing', { file: 'courses.csv' });
  });

  it('a delta without a base snapshot is refused', async () => {
    const files = withFile(schoolFiles('1.1'), 'manifest.csv', (t) => t.replace('file.users,bulk', 'file.users,delta'));
    const error = await expectImportError(importFolder(files), 'missing', {
      field: 'file.users',
      expected: 'options.base (the previous snapshot)',
    });
    expect(error.message).toMatch(/previous snapshot/);
  });

  it('a delta file without status/dateLastModified values → format', async () => {
    const { snapshot: base } = await importFolder(schoolFiles('1.1'));
    const files = {
      'manifest.csv': oneRosterManifest('1.1', { users: 'delta' }),
      'users.csv':
        'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName\nN1,,,true,o,student,n,A,B\n',
    };
    await expectImportError(importFolder(files, { base }), 'format', { file: 'users.csv', line: 2, field: 'status' });
  });

  it('text that is not UTF-8 → encoding', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(schoolFiles('1.1')['users.csv']!), 0xff, 0xfe, 0x0a]);
    await expectImportError(importZip({ ...schoolFiles('1.1'), 'users.csv': bytes }), 'encoding', {
      file: 'users.csv',
    });
  });

  it('a path that does not exist → missing; pushed payloads → format', async () => {
    const adapter = createOneRosterAdapter();
    await expectImportError(adapter.import({ kind: 'path', path: `${await tempDir()}/nope.zip` }), 'missing');
    await expectImportError(adapter.import({ kind: 'payloads', payloads: [] }), 'format');
  });
});

/** 2026-08-05 → 05/08/2026: a date as a spreadsheet in NZ writes it. */
function dmy(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
