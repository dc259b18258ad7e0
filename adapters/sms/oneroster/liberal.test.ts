import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { SmsWarning } from '../../contract';
import {
  cleanTempDirs,
  expectImportError,
  importFolder,
  school,
  schoolFiles,
  withFile,
} from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

const MODIFIED = '2026-01-20T09:00:00.000Z';

/** Rewrites one column of a CSV text (by header name), keeping the rest as it was. */
function editColumn(text: string, column: string, change: (value: string, row: number) => string): string {
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  const columns = Object.keys(rows[0] ?? {});
  return stringify(
    rows.map((row, i) => ({ ...row, [column]: change(row[column] ?? '', i) })),
    { header: true, columns },
  );
}

function about(warnings: readonly SmsWarning[], file: string, field: string): SmsWarning[] {
  return warnings.filter((w) => w.file === file && w.field === field);
}

/**
 * Issue 11 item 5, real exports: fields ClassBridge does not use are warned about (once per file and field,
 * with a count), never a reason to refuse the whole export.
 */
describe('OneRoster is liberal in what it does not use', () => {
  it('a dateLastModified written 1/05/2023 (a spreadsheet date) is one warning per file, not a refusal', async () => {
    const files = withFile(schoolFiles('1.2'), 'users.csv', (t) => t.replaceAll(MODIFIED, '1/05/2023'));
    const { snapshot, warnings } = await importFolder(files);
    const { snapshot: clean } = await importFolder(schoolFiles('1.2'));
    expect(snapshot).toEqual(clean);
    const users = school.students.length + school.staff.length;
    const found = about(warnings, 'users.csv', 'dateLastModified');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 2 });
    expect(found[0]!.message).toContain(`${users} rows`);
    expect(found[0]!.message).toContain('1/05/2023');
  });

  it('a dateLastModified written 2017-05-06 08:01:05 is a warning, in a bulk and in a delta', async () => {
    const files = withFile(schoolFiles('1.1'), 'enrollments.csv', (t) => t.replaceAll(MODIFIED, '2017-05-06 08:01:05'));
    const { snapshot: base, warnings } = await importFolder(files);
    expect(base.enrolments.length).toBe(school.enrolments.length + school.classes.length);
    expect(about(warnings, 'enrollments.csv', 'dateLastModified')).toHaveLength(1);

    const delta = {
      'manifest.csv': 'propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,delta\n',
      'users.csv':
        'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName\n' +
        'N1,active,2017-05-06 08:01:05,true,org-school,student,n1,Aroha,Ngata\n',
    };
    const { snapshot, warnings: deltaWarnings } = await importFolder(delta, { base });
    expect(snapshot.people.find((p) => p.smsId === 'N1')).toMatchObject({ givenName: 'Aroha' });
    expect(about(deltaWarnings, 'users.csv', 'dateLastModified')).toHaveLength(1);
  });

  it('a header ending in ",," (an Excel round-trip) with the rows\' matching empty cells imports as without', async () => {
    const trailing = (t: string): string =>
      t
        .trimEnd()
        .split(/\r?\n/)
        .map((line) => `${line},,`)
        .join('\r\n');
    let files = schoolFiles('1.2');
    for (const name of ['users.csv', 'classes.csv', 'enrollments.csv', 'academicSessions.csv'])
      files = withFile(files, name, trailing);
    const { snapshot, warnings } = await importFolder(files);
    const { snapshot: clean } = await importFolder(schoolFiles('1.2'));
    expect(snapshot).toEqual(clean);
    expect(warnings.filter((w) => w.file === 'users.csv')).toHaveLength(1);
    expect(warnings.find((w) => w.file === 'users.csv')?.message).toMatch(/2 columns .*no name/);
  });

  it('a header-only academicSessions without schoolYear: imported, the classes without term dates', async () => {
    let files = withFile(
      schoolFiles('1.1'),
      'academicSessions.csv',
      () => 'sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId\n',
    );
    // Without sessions there is no school year to point at either.
    files = withFile(files, 'courses.csv', (t) => t.replaceAll(',as-year,', ',,'));
    const { snapshot, warnings } = await importFolder(files);
    expect(snapshot.courses).toHaveLength(school.classes.length);
    expect(snapshot.courses.every((c) => c.startDate === undefined && c.endDate === undefined)).toBe(true);
    expect(snapshot.enrolments.length).toBe(school.enrolments.length + school.classes.length);
    expect(about(warnings, 'academicSessions.csv', 'schoolYear')).toHaveLength(1);
    const terms = about(warnings, 'classes.csv', 'termSourcedIds');
    expect(terms).toHaveLength(1);
    expect(terms[0]!.message).toContain(`${school.classes.length} rows`);
  });

  it('still refuses what ClassBridge needs: a missing needed column in a file with rows, a bad used date', async () => {
    const noStart = withFile(schoolFiles('1.1'), 'academicSessions.csv', (t) => t.replace('startDate', 'begins'));
    await expectImportError(importFolder(noStart), 'missing', { file: 'academicSessions.csv', field: 'startDate' });
    const badEnd = withFile(schoolFiles('1.1'), 'enrollments.csv', (t) => {
      const [header, first, ...rest] = t.split('\n');
      return [header, first!.replace(/,$/, ',31/12/2026'), ...rest].join('\n');
    });
    const error = await expectImportError(importFolder(badEnd), 'format', { file: 'enrollments.csv', line: 2 });
    expect(error.where.field).toBe('endDate');
  });

  it('an empty unused value (an org without a type) is a warning with a count', async () => {
    const files = withFile(schoolFiles('1.1'), 'orgs.csv', (t) => t.replace(',school,', ',,'));
    const { warnings } = await importFolder(files);
    expect(about(warnings, 'orgs.csv', 'type')).toEqual([expect.objectContaining({ line: 2 })]);
  });

  it('a delta with an Excel ",," header, spreadsheet dates and unused values blank or pointing nowhere', async () => {
    const { snapshot: base } = await importFolder(schoolFiles('1.1'));
    const bulk = schoolFiles('1.1');
    const trailing = (t: string): string =>
      t
        .trimEnd()
        .split(/\r?\n/)
        .map((line) => `${line},,`)
        .join('\r\n');
    let classes = editColumn(bulk['classes.csv']!, 'classType', () => '');
    classes = editColumn(classes, 'schoolSourcedId', () => '');
    classes = editColumn(classes, 'title', (title, i) => (i === 0 ? 'Renamed' : title));
    const delta = {
      'manifest.csv':
        'propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,delta\nfile.classes,delta\n',
      'users.csv': trailing(editColumn(bulk['users.csv']!, 'dateLastModified', () => '1/05/2023')),
      'classes.csv': trailing(editColumn(classes, 'dateLastModified', () => '2017-05-06 08:01:05')),
    };
    const { snapshot, warnings } = await importFolder(delta, { base });
    expect(snapshot.people).toEqual(base.people);
    expect(snapshot.enrolments).toEqual(base.enrolments);
    const renamed = snapshot.courses.find((c) => c.smsId === school.classes[0]!.id);
    // academicSessions is absent from this delta, so its terms cannot be checked (nor give dates).
    expect(renamed?.name).toBe('Renamed');
    for (const [file, field] of [
      ['users.csv', 'dateLastModified'],
      ['classes.csv', 'dateLastModified'],
      ['classes.csv', 'classType'],
      ['classes.csv', 'schoolSourcedId'],
    ] as const) {
      expect(about(warnings, file, field), `${file} ${field}`).toHaveLength(1);
    }
    expect(warnings.filter((w) => w.file === 'users.csv' && /no name/.test(w.message))).toHaveLength(1);
  });

  it('1.2 userProfiles and roles: unused fields blank or pointing nowhere are warnings', async () => {
    let files = schoolFiles('1.2');
    files = withFile(files, 'roles.csv', (t) => editColumn(t, 'orgSourcedId', () => 'org-nowhere'));
    if (files['userProfiles.csv']) {
      files = withFile(files, 'userProfiles.csv', (t) => editColumn(t, 'vendorId', () => ''));
    }
    const { snapshot, warnings } = await importFolder(files);
    const { snapshot: clean } = await importFolder(schoolFiles('1.2'));
    expect(snapshot).toEqual(clean);
    expect(about(warnings, 'roles.csv', 'orgSourcedId')).toHaveLength(1);
  });
});
