import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SmsSnapshot } from '../../contract';
import { oneRosterManifest } from '../../testing/sms-fixtures/oneroster';
import { cleanTempDirs, importFolder, schoolFiles } from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

/**
 * The engine hands a delta the snapshot read back from its store, as `toReaderSnapshot` gives it: records
 * as stored (no `extra`, ids as kept) and one enrolment row per class, so a person in two classes of one
 * course comes as two rows with groupSmsId set. Built here by hand in exactly that shape.
 */
function storedBase(): SmsSnapshot {
  return {
    people: [
      { smsId: 'P1', role: 'student', givenName: 'Aroha', familyName: 'Ngata', username: 'aroha', active: true },
      { smsId: 'P2', role: 'student', givenName: 'Mere', familyName: 'Tane', username: 'mere', active: true },
      { smsId: 'T1', role: 'staff', givenName: 'Hemi', familyName: 'Walker', username: 'hemi', active: true },
    ],
    courses: [{ smsId: 'ENG10', code: 'ENG10', name: 'English 10', startDate: '2026-02-02', endDate: '2026-12-11' }],
    groups: [
      { smsId: 'ENG10-1', courseSmsId: 'ENG10', name: '10ENG-1' },
      { smsId: 'ENG10-2', courseSmsId: 'ENG10', name: '10ENG-2' },
    ],
    enrolments: [
      // P1 in both classes of ENG10: one stored enrolment, two reader rows (merged dates on each).
      row('P1', 'ENG10-1', 'student'),
      row('P1', 'ENG10-2', 'student'),
      row('P2', 'ENG10-2', 'student'),
      row('T1', 'ENG10-1', 'teacher'),
      row('T1', 'ENG10-2', 'teacher'),
    ],
  };
}

function row(person: string, group: string, role: string): SmsSnapshot['enrolments'][number] {
  return {
    personSmsId: person,
    courseSmsId: 'ENG10',
    role,
    active: true,
    startDate: '2026-02-02',
    endDate: '2026-12-11',
    groupSmsId: group,
  };
}

const ENROLLMENTS = 'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role';

function deltaFiles(files: Record<string, string>): Record<string, string> {
  const modes: Record<string, 'delta'> = {};
  for (const name of Object.keys(files)) modes[name.replace(/\.csv$/, '')] = 'delta';
  return { 'manifest.csv': oneRosterManifest('1.1', modes), ...files };
}

describe('OneRoster delta onto the stored snapshot (as the engine reads it back)', () => {
  it('deleting one of two classes of a person in one course keeps the other', async () => {
    const files = deltaFiles({
      'enrollments.csv': `${ENROLLMENTS}\nE9,tobedeleted,2026-03-01T00:00:00Z,ENG10-1,org-school,P1,student\n`,
    });
    const { snapshot } = await importFolder(files, { courseFrom: 'course', base: storedBase() });
    const p1 = snapshot.enrolments.filter((e) => e.personSmsId === 'P1');
    expect(p1).toEqual([row('P1', 'ENG10-2', 'student')]);
    expect(snapshot.enrolments).toHaveLength(4);
    expect(snapshot.groups).toEqual(storedBase().groups);
    expect(snapshot.people).toEqual(storedBase().people);
  });

  it('a new class row for a person adds a row beside the stored ones; a changed row replaces its own', async () => {
    const files = deltaFiles({
      'enrollments.csv': [
        ENROLLMENTS + ',beginDate,endDate',
        'E10,active,2026-03-01T00:00:00Z,ENG10-1,org-school,P2,student,2026-03-02,',
        'E11,active,2026-03-01T00:00:00Z,ENG10-2,org-school,P1,student,2026-02-02,2026-06-30',
      ].join('\n'),
    });
    const { snapshot } = await importFolder(files, { courseFrom: 'course', base: storedBase() });
    expect(snapshot.enrolments.filter((e) => e.personSmsId === 'P2')).toEqual([
      row('P2', 'ENG10-2', 'student'),
      {
        personSmsId: 'P2',
        courseSmsId: 'ENG10',
        groupSmsId: 'ENG10-1',
        role: 'student',
        active: true,
        startDate: '2026-03-02',
      },
    ]);
    expect(snapshot.enrolments.filter((e) => e.personSmsId === 'P1')).toEqual([
      row('P1', 'ENG10-1', 'student'),
      { ...row('P1', 'ENG10-2', 'student'), endDate: '2026-06-30' },
    ]);
  });

  it('a deleted class takes only its own rows: the person keeps the other class of the course', async () => {
    const files = deltaFiles({
      'classes.csv':
        'sourcedId,status,dateLastModified,title,courseSourcedId,classType,schoolSourcedId,termSourcedIds\n' +
        'ENG10-1,tobedeleted,2026-03-01T00:00:00Z,,,,,\n',
    });
    const { snapshot } = await importFolder(files, { courseFrom: 'course', base: storedBase() });
    expect(snapshot.groups.map((g) => g.smsId)).toEqual(['ENG10-2']);
    expect(snapshot.enrolments.map((e) => `${e.personSmsId}/${e.groupSmsId}`).sort()).toEqual([
      'P1/ENG10-2',
      'P2/ENG10-2',
      'T1/ENG10-2',
    ]);
  });

  it("class mode: the stored rows have no class; a delta's rows match them by person, course and role", async () => {
    const base: SmsSnapshot = {
      ...storedBase(),
      courses: [
        { smsId: 'ENG10-1', code: '10ENG-1', name: 'English 10 (1)' },
        { smsId: 'ENG10-2', code: '10ENG-2', name: 'English 10 (2)' },
      ],
      groups: [],
      enrolments: [
        { personSmsId: 'P1', courseSmsId: 'ENG10-1', role: 'student', active: true },
        { personSmsId: 'P1', courseSmsId: 'ENG10-2', role: 'student', active: true },
      ],
    };
    const files = deltaFiles({
      'enrollments.csv': `${ENROLLMENTS}\nE9,tobedeleted,2026-03-01T00:00:00Z,ENG10-1,org-school,P1,student\n`,
    });
    const { snapshot } = await importFolder(files, { base });
    expect(snapshot.enrolments).toEqual([{ personSmsId: 'P1', courseSmsId: 'ENG10-2', role: 'student', active: true }]);
  });

  it('takes the base lazily: read once for a delta, never for a bulk', async () => {
    const base = vi.fn(storedBase);
    const files = deltaFiles({
      'enrollments.csv': `${ENROLLMENTS}\nE9,tobedeleted,2026-03-01T00:00:00Z,ENG10-1,org-school,P1,student\n`,
    });
    const { snapshot } = await importFolder(files, { courseFrom: 'course', base });
    expect(snapshot.enrolments).toHaveLength(storedBase().enrolments.length - 1);
    expect(base).toHaveBeenCalledTimes(1);

    const bulk = vi.fn(storedBase);
    const { snapshot: full } = await importFolder(schoolFiles('1.2'), { base: bulk });
    expect(full.people.length).toBeGreaterThan(0);
    expect(bulk).not.toHaveBeenCalled();
  });

  it('a lazy base that finds no snapshot is the same as none: a delta is refused', async () => {
    const files = deltaFiles({
      'enrollments.csv': `${ENROLLMENTS}\nE9,tobedeleted,2026-03-01T00:00:00Z,ENG10-1,org-school,P1,student\n`,
    });
    await expect(importFolder(files, { base: () => undefined })).rejects.toMatchObject({
      kind: 'missing',
      where: { field: 'file.enrollments' },
    });
  });
});
