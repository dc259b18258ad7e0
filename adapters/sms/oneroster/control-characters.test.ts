import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SMS_PROBLEMS } from '../../contract';
import {
  cleanTempDirs,
  expectImportError,
  importFolder,
  school,
  schoolFiles,
  withFile,
} from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

/** Issue 11 item 8: a control character in a name is a damaged export, refused with file, line and field. */
describe('OneRoster control characters in names', () => {
  it('a NUL in a given name → format, naming file, line, field and the character', async () => {
    const student = school.students[2]!;
    const files = withFile(schoolFiles('1.2'), 'users.csv', (t) =>
      t.replace(`,${student.givenName},`, `,${student.givenName}\u0000x,`),
    );
    const error = await expectImportError(importFolder(files), 'format', {
      file: 'users.csv',
      line: 4,
      field: 'givenName',
    });
    expect(error.message).toContain('U+0000');
  });

  it('every bad name is listed (users, classes, courses), in one error', async () => {
    const [a, b] = [school.students[0]!, school.students[5]!];
    const klass = school.classes[1]!;
    let files = withFile(schoolFiles('1.1'), 'users.csv', (t) =>
      t.replace(`,${a.familyName},`, `,${a.familyName}\u0007,`).replace(`,${b.username},`, `,\u001b${b.username},`),
    );
    files = withFile(files, 'classes.csv', (t) => t.replace(`,${klass.code},`, `,${klass.code}\u007f,`));
    const error = await expectImportError(importFolder(files), 'format', { file: 'classes.csv', field: 'classCode' });
    expect(error.problems.map((p) => [p.where.file, p.where.line, p.where.field])).toEqual([
      ['classes.csv', 3, 'classCode'],
      ['users.csv', 2, 'familyName'],
      ['users.csv', 7, 'username'],
    ]);
  });

  it(`stops listing at ${MAX_SMS_PROBLEMS} and says how many there were`, async () => {
    // 150 extra users, each with a NUL in the given name (the S school has fewer users than that).
    const files = withFile(schoolFiles('1.1'), 'users.csv', (t) => {
      const [header, ...rows] = t.trimEnd().split('\n');
      const columns = header!.split(',');
      const extra = Array.from({ length: 150 }, (_, i) => {
        const cells = columns.map(() => '');
        const set = (name: string, value: string): void => void (cells[columns.indexOf(name)] = value);
        set('sourcedId', `X${i}`);
        set('enabledUser', 'true');
        set('role', 'student');
        set('username', `x${i}`);
        set('givenName', `Bad\u0000${i}`);
        set('familyName', 'Row');
        return cells.join(',');
      });
      return [header, ...rows, ...extra].join('\n');
    });
    const first = school.students.length + school.staff.length + 2;
    const error = await expectImportError(importFolder(files), 'format', {
      file: 'users.csv',
      line: first,
      field: 'givenName',
    });
    expect(error.problems).toHaveLength(MAX_SMS_PROBLEMS);
    expect(error.message).toContain('150 problems');
  });
});
