import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsImportError } from '../../contract';
import {
  KAMAR_MALFORMED_BODY,
  kamarCheckMessage,
  kamarFullPush,
  kamarPartPush,
  kamarUnusedMessage,
} from '../../testing/sms-fixtures/kamar';
import { generateSchool } from '../../testing/sms-fixtures/school';
import { createKamarAdapter } from './adapter';

const school = generateSchool({ seed: 3 });
const adapter = createKamarAdapter();
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kamar-adapter-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function importError(payloads: unknown[]): Promise<SmsImportError> {
  const error: unknown = await adapter.import({ kind: 'payloads', payloads }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsImportError);
  return error as SmsImportError;
}

describe('createKamarAdapter', () => {
  it('describes KAMAR as push-only with no results write-back', () => {
    expect(adapter.describe()).toEqual({
      provider: 'KAMAR',
      capabilities: { pull: false, push: true, file: false, resultsWriteBack: [] },
    });
    expect(adapter.exportResults).toBeUndefined();
  });

  it('merges a recorded full push in 3 chunks (objects, text and bytes) into one snapshot', async () => {
    const [a, b, c] = kamarFullPush(school, { chunks: 3 });
    const result = await adapter.import({
      kind: 'payloads',
      payloads: [kamarCheckMessage(school), a, JSON.stringify(b), new TextEncoder().encode(JSON.stringify(c))],
    });
    const { snapshot } = result;
    expect(snapshot.people).toHaveLength(school.students.length + school.staff.length);
    expect(snapshot.enrolments.filter((e) => e.role === 'student')).toHaveLength(school.enrolments.length);
    const enrolment = school.enrolments[0];
    const klass = school.classes.find((k) => k.id === enrolment?.classId);
    const course = school.courses.find((k) => k.id === enrolment?.courseId);
    expect(snapshot.enrolments).toContainEqual({
      personSmsId: enrolment?.studentId,
      courseSmsId: course?.code,
      groupSmsId: `${course?.code}-${klass?.id.split('-')[1]}-1`,
      role: 'student',
      active: school.students.find((s) => s.id === enrolment?.studentId)?.active,
    });
    const teacher = school.staff.find((s) => s.id === klass?.teacherId);
    expect(snapshot.enrolments).toContainEqual(
      expect.objectContaining({ personSmsId: teacher?.code, courseSmsId: course?.code, role: 'teacher' }),
    );
    expect(snapshot.courses.find((k) => k.smsId === course?.code)).toEqual({
      smsId: course?.code,
      code: course?.code,
      name: course?.name,
    });
    expect(snapshot.groups.every((g) => snapshot.courses.some((k) => k.smsId === g.courseSmsId))).toBe(true);
    expect(result.description.version).toContain('2198');
    expect(result.warnings).toEqual([]);
  });

  it('applies a part push onto the full roll before it', async () => {
    const changed = { ...school.students[2]!, givenName: 'Mere', active: false };
    const result = await adapter.import({
      kind: 'payloads',
      payloads: [...kamarFullPush(school), kamarPartPush(school, [changed])],
    });
    const person = result.snapshot.people.find((p) => p.smsId === changed.id);
    expect(person).toMatchObject({ givenName: 'Mere', active: false });
    const enrolments = result.snapshot.enrolments.filter((e) => e.personSmsId === changed.id);
    expect(enrolments.length).toBeGreaterThan(0);
    expect(enrolments.every((e) => !e.active)).toBe(true);
  });

  it('skips unused message types with a warning', async () => {
    const result = await adapter.import({
      kind: 'payloads',
      payloads: [
        ...kamarFullPush(school),
        kamarUnusedMessage(school, 'attendance'),
        kamarUnusedMessage(school, 'results'),
      ],
    });
    expect(result.warnings.map((w) => w.message)).toEqual([
      'skipped KAMAR "attendance" message: not used',
      'skipped KAMAR "results" message: not used',
    ]);
  });

  it('keeps form-time classes only when asked', async () => {
    const withForm = await createKamarAdapter({ includeFormClasses: true }).import({
      kind: 'payloads',
      payloads: kamarFullPush(school),
    });
    expect(withForm.snapshot.courses.some((c) => c.smsId === 'FT')).toBe(true);
  });

  it('reads keys case-insensitively and types leniently, warning on unreadable values', async () => {
    const result = await adapter.import({
      kind: 'payloads',
      payloads: [
        {
          smsdirectorydata: {
            SYNC: 'FULL',
            Students: {
              Count: 1,
              Data: [
                {
                  ID: '555',
                  FirstName: 'Hēmi',
                  LastName: 'O’Reilly',
                  YearLevel: '11',
                  LeavingDate: 'soon',
                  Groups: [{ Type: 'Class', Subject: 'MAT', CoreOption: 2 }],
                },
              ],
            },
          },
        },
      ],
    });
    expect(result.snapshot.people[0]).toMatchObject({
      smsId: '555',
      givenName: 'Hēmi',
      familyName: 'O’Reilly',
      active: true,
      extra: { yearLevel: '11' },
    });
    expect(result.snapshot.groups).toEqual([{ smsId: 'MAT-2', courseSmsId: 'MAT', name: 'MAT-2' }]);
    expect(result.warnings).toEqual([
      {
        message: 'unreadable leaving date ignored',
        file: 'payload 1',
        field: 'SMSDirectoryData.students.data[0].leavingdate',
      },
    ]);
  });

  it('a part push with no full push before it is refused', async () => {
    const error = await importError([kamarPartPush(school, school.students.slice(0, 1))]);
    expect(error.kind).toBe('missing');
  });

  it('a saved push whose count exceeds its records is refused offline, as the receiver refuses it online', async () => {
    const [push] = kamarFullPush(school, { chunks: 1 }) as {
      SMSDirectoryData: { students: { count: number; data: unknown[] } };
    }[];
    const students = push!.SMSDirectoryData.students;
    students.data = students.data.slice(0, 3);
    students.count = 5;
    const error = await importError([push]);
    expect(error.kind).toBe('missing');
    expect(error.where).toMatchObject({ field: 'SMSDirectoryData.students.count', expected: '5 students' });
    expect(error.describe()).toMatch(/declared 5 students in a message that carries 3/);
  });

  it('no roll data at all is refused as empty', async () => {
    expect((await importError([kamarCheckMessage(school)])).kind).toBe('empty');
    expect((await importError([])).kind).toBe('empty');
  });

  it.each([
    ['malformed JSON', KAMAR_MALFORMED_BODY, 'format', undefined],
    ['missing sync', { SMSDirectoryData: {} }, 'missing', 'SMSDirectoryData.sync'],
    [
      'count not a number',
      { SMSDirectoryData: { sync: 'full', staff: { count: 'x', data: [] } } },
      'format',
      'SMSDirectoryData.staff.count',
    ],
    [
      'record without id',
      { SMSDirectoryData: { sync: 'full', students: { data: [{ lastname: 'A' }] } } },
      'missing',
      'SMSDirectoryData.students.data[0].id',
    ],
    [
      'record without a name',
      { SMSDirectoryData: { sync: 'full', students: { data: [{ id: 5 }] } } },
      'missing',
      'SMSDirectoryData.students.data[0].lastname',
    ],
    [
      'class without a subject',
      {
        SMSDirectoryData: { sync: 'full', staff: { data: [{ id: 'AB', lastname: 'A', groups: [{ type: 'class' }] }] } },
      },
      'missing',
      'SMSDirectoryData.staff.data[0].groups[0].subject',
    ],
    ['XML', '<SMSDirectoryData/>', 'format', undefined],
    ['not UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'encoding', undefined],
  ])('refuses %s with where', async (_name, payload, kind, fieldPath) => {
    const [first] = kamarFullPush(school);
    const error = await importError([first, payload]);
    expect(error.kind).toBe(kind);
    expect(error.where.file).toBe('payload 2');
    if (fieldPath) expect(error.where.field).toBe(fieldPath);
    expect(error.describe()).toContain('payload 2');
  });

  it('reads a saved push from a file, a JSON array file or a folder', async () => {
    const chunks = kamarFullPush(school, { chunks: 2 });
    await writeFile(join(dir, 'array.json'), JSON.stringify(chunks));
    const folder = join(dir, 'folder');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    await writeFile(join(folder, '01-full.json'), JSON.stringify(chunks[0]));
    await writeFile(join(folder, '02-full.json'), JSON.stringify(chunks[1]));
    await writeFile(join(folder, 'notes.txt'), 'ignored');
    const people = school.students.length + school.staff.length;
    expect((await adapter.import({ kind: 'path', path: join(dir, 'array.json') })).snapshot.people).toHaveLength(
      people,
    );
    expect((await adapter.import({ kind: 'path', path: folder })).snapshot.people).toHaveLength(people);
    await writeFile(join(dir, 'one.json'), JSON.stringify(chunks[0]));
    const one = await adapter.import({ kind: 'path', path: join(dir, 'one.json') });
    expect(one.snapshot.people.length).toBeLessThan(people);
    const missing = await adapter.import({ kind: 'path', path: join(dir, 'nope.json') }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SmsImportError);
    const small = createKamarAdapter({ maxMessageBytes: 100 });
    const tooLarge = await small.import({ kind: 'path', path: join(dir, 'one.json') }).catch((e: unknown) => e);
    expect((tooLarge as SmsImportError).kind).toBe('too-large');
  });
});
