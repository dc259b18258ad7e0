import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SMS_PROBLEMS } from '../../contract';
import {
  avetmissFiles,
  encodeNatText,
  writeAvetmissFolder,
  type FixtureEncoding,
  type NatFiles,
} from '../../testing/sms-fixtures/avetmiss';
import { createAvetmissAdapter } from './index';
import { filesS, importError, patchLine, schoolS, withTempDir } from '../../testing/sms-support/avetmiss';

/** The S school with names an SMS really has: macrons, accents, a typographic apostrophe. */
function schoolWithNames(names: readonly [given: string, family: string][]) {
  const school = schoolS();
  names.forEach(([given, family], i) => {
    const student = school.students[i]!;
    student.givenName = given;
    student.familyName = family;
  });
  return school;
}

async function importFiles(files: NatFiles, encoding: FixtureEncoding = 'latin1') {
  return withTempDir(async (dir) => {
    await writeAvetmissFolder(dir, files, {}, encoding);
    return createAvetmissAdapter().import({ kind: 'path', path: dir });
  });
}

async function refusal(files: NatFiles, encoding: FixtureEncoding = 'latin1') {
  return withTempDir(async (dir) => {
    await writeAvetmissFolder(dir, files, {}, encoding);
    return importError(createAvetmissAdapter().import({ kind: 'path', path: dir }));
  });
}

const UNICODE_NAMES: [string, string][] = [
  ['Mere', 'Māori-Tūhoe'],
  ['José', 'Ngā'],
  ['Zoë', 'Müller'],
];

describe('AVETMISS text encodings: decoded per file, columns counted in characters', () => {
  for (const encoding of ['utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'utf-16le'] as const) {
    it(`${encoding}: names with macrons and accents keep every later column in place`, async () => {
      const school = schoolWithNames(UNICODE_NAMES);
      const { snapshot } = await importFiles(avetmissFiles(school, { keepDiacritics: true }), encoding);
      expect(snapshot.people).toHaveLength(school.students.length);
      UNICODE_NAMES.forEach(([givenName, familyName], i) => {
        const student = school.students[i]!;
        // The client id after a BOM, the names, the e-mail and the USI far to the right all read.
        expect(snapshot.people[i]).toMatchObject({
          smsId: student.id,
          givenName,
          familyName,
          email: student.email,
          extra: { usi: student.nationalId },
        });
      });
      expect(snapshot.enrolments).toHaveLength(school.enrolments.length);
    });
  }

  it('Windows-1252 (no BOM, not valid UTF-8): accents and a typographic apostrophe', async () => {
    const names: [string, string][] = [
      ['Chloé', 'O’Brien'],
      ['Zoë', 'Nuñez'],
    ];
    const { snapshot } = await importFiles(
      avetmissFiles(schoolWithNames(names), { keepDiacritics: true }),
      'windows-1252',
    );
    expect(snapshot.people.slice(0, 2).map((p) => [p.givenName, p.familyName])).toEqual(names);
  });

  it('a file mixing UTF-8 and Windows-1252 lines is refused as such, naming the line', async () => {
    const files = avetmissFiles(schoolWithNames(UNICODE_NAMES), { keepDiacritics: true });
    const lines = files.NAT00080!.split('\r\n');
    const bytes = Buffer.concat([
      encodeNatText(lines.slice(0, 4).join('\r\n') + '\r\n', 'utf-8'),
      encodeNatText(patchLine(lines.slice(4).join('\r\n'), 1, 11, 'Ibáñez, Ana'), 'windows-1252'),
    ]);
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, { ...files, NAT00080: '' }, {}, 'utf-8');
      await writeFile(join(dir, 'NAT00080.txt'), bytes);
      const error = await importError(createAvetmissAdapter().import({ kind: 'path', path: dir }));
      expect(error.kind).toBe('encoding');
      expect(error.where).toMatchObject({ file: 'NAT00080.txt', line: 5 });
      expect(error.where.expected).toContain('line 1, which is UTF-8');
    });
  });

  it('write-back keeps the original encoding: a UTF-16 NAT00120 comes back byte for byte', async () => {
    await withTempDir(async (dir) => {
      const files = avetmissFiles(schoolWithNames(UNICODE_NAMES), { keepDiacritics: true });
      await writeAvetmissFolder(join(dir, 'in'), files, {}, 'utf-16le-bom');
      const adapter = createAvetmissAdapter();
      await adapter.import({ kind: 'path', path: join(dir, 'in') });
      const report = await adapter.exportResults([], join(dir, 'out'));
      const original = await readFile(join(dir, 'in', 'NAT00120.txt'));
      expect((await readFile(report.files[0]!)).equals(original)).toBe(true);
    });
  });
});

describe('AVETMISS line ends, tabs, control characters and blank lines', () => {
  it('bare CR line ends (old Mac exports) separate records', async () => {
    const files = filesS();
    for (const id of Object.keys(files) as (keyof NatFiles)[]) files[id] = files[id]!.replace(/\r\n/g, '\r');
    const { snapshot } = await importFiles(files);
    expect(snapshot.people).toHaveLength(schoolS().students.length);
    expect(snapshot.enrolments).toHaveLength(schoolS().enrolments.length);
  });

  it('a tab inside a fixed-width record is named as a tab, with its line, column and field', async () => {
    const files = filesS();
    // An SMS that tabbed over the padding after the client identifier: every later column moves.
    const lines = files.NAT00080!.split('\r\n');
    const id = lines[2]!.slice(0, 10).trim();
    lines[2] = `${id}\t${lines[2]!.slice(10)}`;
    const error = await refusal({ ...files, NAT00080: lines.join('\r\n') });
    expect(error.kind).toBe('format');
    expect(error.message).toBe('A tab character where fixed-width columns are expected');
    expect(error.where).toMatchObject({
      file: 'NAT00080.txt',
      line: 3,
      column: id.length + 1,
      field: 'Client identifier',
    });
    expect(error.problems).toHaveLength(1);
  });

  it('a stray CR inside a CRLF file is a control character in its field, not a split record', async () => {
    const error = await refusal({ ...filesS(), NAT00060: patchLine(filesS().NAT00060!, 2, 20, '\r') });
    expect(error.where).toMatchObject({ file: 'NAT00060.txt', line: 2, column: 20, field: 'Subject name' });
    expect(error.where.found).toBe('U+000D');
  });

  it('NUL and other control characters in a name or any text field are refused with file, line and field', async () => {
    const nul = await refusal({ ...filesS(), NAT00080: patchLine(filesS().NAT00080!, 4, 14, '\u0000') });
    expect(nul.kind).toBe('format');
    expect(nul.message).toContain('A control character (U+0000)');
    expect(nul.where).toMatchObject({ file: 'NAT00080.txt', line: 4, column: 14, field: 'Name for encryption' });
    const escape = await refusal({ ...filesS(), NAT00085: patchLine(filesS().NAT00085!, 2, 16, '\u001b') });
    expect(escape.where).toMatchObject({ file: 'NAT00085.txt', line: 2, field: 'Client first given name' });
    expect(escape.where.found).toBe('U+001B');
  });

  it('a line of spaces only is an error with file and line, not skipped', async () => {
    const lines = filesS().NAT00120!.split('\r\n');
    lines.splice(3, 0, ' '.repeat(158));
    const error = await refusal({ ...filesS(), NAT00120: lines.join('\r\n') });
    expect(error.kind).toBe('format');
    expect(error.message).toBe('A line of spaces only where a record is expected');
    expect(error.where).toMatchObject({ file: 'NAT00120.txt', line: 4, found: '158 spaces' });
  });

  it('empty lines and a DOS end-of-file mark (Ctrl-Z) are not records', async () => {
    const files = filesS();
    files.NAT00120 = `${files.NAT00120!}\r\n\u001a`;
    const { snapshot } = await importFiles(files);
    expect(snapshot.enrolments).toHaveLength(schoolS().enrolments.length);
  });
});

describe('AVETMISS problems: one import lists them all (up to the cap), each with file, line and field', () => {
  it('problems in several files are listed together, in reading order', async () => {
    const error = await refusal({
      ...filesS(),
      NAT00080: patchLine(filesS().NAT00080!, 2, 74, '31022001'),
      NAT00060: patchLine(filesS().NAT00060!, 3, 120, '4O'),
      NAT00120: patchLine(filesS().NAT00120!, 5, 72, '25'),
    });
    expect(error.problems.map((p) => [p.where.file, p.where.line, p.where.field])).toEqual([
      ['NAT00060.txt', 3, 'Nominal hours'],
      ['NAT00080.txt', 2, 'Date of birth'],
      ['NAT00120.txt', 5, 'Outcome identifier - national'],
    ]);
  });

  it('a damaged client is one problem: its activities are not also reported as unknown clients', async () => {
    const error = await refusal({ ...filesS(), NAT00080: patchLine(filesS().NAT00080!, 1, 74, '99999999') });
    expect(error.problems).toHaveLength(1);
  });

  it(`more than ${MAX_SMS_PROBLEMS} problems: the first ${MAX_SMS_PROBLEMS} are listed and the total is told`, async () => {
    const school = schoolS();
    const files = avetmissFiles(school);
    const lines = files.NAT00120!.split('\r\n').filter((l) => l !== '');
    const bad = Array.from({ length: 150 }, (_, i) => patchLine(lines[i % lines.length]!, 1, 72, '99'));
    const error = await refusal({ ...files, NAT00120: `${bad.join('\r\n')}\r\n` });
    expect(error.problems).toHaveLength(MAX_SMS_PROBLEMS);
    expect(error.message).toContain('150 problems in all; the first 100 are listed');
    expect(error.problems.every((p) => p.where.file === 'NAT00120.txt' && p.where.field && p.where.line)).toBe(true);
  });
});
