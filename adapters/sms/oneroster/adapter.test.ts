import { afterAll, describe, expect, it } from 'vitest';
import { oneRosterFiles } from '../../testing/sms-fixtures/oneroster';
import { createOneRosterAdapter } from './index';
import {
  cleanTempDirs,
  importFolder,
  importZip,
  school,
  schoolFiles,
  withFile,
} from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

const teacherEnrolments = school.classes.length;

describe('OneRoster import (bulk)', () => {
  it('reads a 1.2 folder: people, one course per class, enrolments', async () => {
    const { snapshot, description } = await importFolder(schoolFiles('1.2'));
    expect(description).toMatchObject({
      provider: 'oneroster',
      version: 'OneRoster 1.2',
      capabilities: { file: true, pull: false, resultsWriteBack: ['file'] },
    });
    expect(snapshot.people).toHaveLength(school.students.length + school.staff.length);
    expect(snapshot.courses).toHaveLength(school.classes.length);
    expect(snapshot.groups).toHaveLength(0);
    expect(snapshot.enrolments).toHaveLength(school.enrolments.length + teacherEnrolments);
    const student = school.students[0]!;
    const person = snapshot.people.find((p) => p.smsId === student.id);
    expect(person).toMatchObject({
      role: 'student',
      givenName: student.givenName,
      familyName: student.familyName,
      username: student.username,
      active: student.active,
    });
    expect(person?.extra).toMatchObject({ ext_nationalId: student.nationalId, oneRosterRole: 'student' });
    expect(person?.extra).not.toHaveProperty('password');
    expect(snapshot.people.find((p) => p.smsId === school.staff[0]!.id)?.role).toBe('staff');
    const klass = school.classes[0]!;
    const term = school.courses.find((c) => c.id === klass.courseId)!;
    expect(snapshot.courses.find((c) => c.smsId === klass.id)).toMatchObject({
      code: klass.code,
      startDate: term.startDate,
      endDate: term.endDate,
    });
  });

  it('reads a 1.1 zip and keeps names with macrons and apostrophes intact', async () => {
    const adapter = createOneRosterAdapter();
    const { snapshot, description } = await importZip(schoolFiles('1.1'));
    expect(description.version).toBe('OneRoster 1.1');
    expect(adapter.describe().version).toBeUndefined();
    const names = new Set(snapshot.people.map((p) => `${p.givenName} ${p.familyName}`));
    for (const s of school.students) expect(names.has(`${s.givenName} ${s.familyName}`)).toBe(true);
    expect(snapshot.enrolments).toHaveLength(school.enrolments.length + teacherEnrolments);
  });

  it('maps columns by header name, whatever their order', async () => {
    const reversed = await importFolder(oneRosterFiles(school, { version: '1.2', columnOrder: 'reversed' }));
    const straight = await importFolder(schoolFiles('1.2'));
    expect(reversed.snapshot).toEqual(straight.snapshot);
  });

  it('finds the data set inside one folder of the zip, with lower-case file names', async () => {
    const files = Object.fromEntries(
      Object.entries(schoolFiles('1.2')).map(([name, text]) => [`export/${name.toLowerCase()}`, text]),
    );
    const { snapshot } = await importZip(files);
    expect(snapshot.people.length).toBeGreaterThan(0);
  });

  it("courseFrom 'course': courses become LMS courses and classes become groups", async () => {
    const { snapshot } = await importFolder(schoolFiles('1.2'), { courseFrom: 'course' });
    expect(snapshot.courses).toHaveLength(school.courses.length);
    expect(snapshot.groups).toHaveLength(school.classes.length);
    const e = school.enrolments[0]!;
    expect(snapshot.enrolments).toContainEqual(
      expect.objectContaining({
        personSmsId: e.studentId,
        courseSmsId: e.courseId,
        groupSmsId: e.classId,
        role: 'student',
      }),
    );
  });

  it('honours tobedeleted in a bulk: the person goes inactive, the enrolment is dropped', async () => {
    const student = school.students.find((s) => s.active)!;
    const enrolment = school.enrolments.find((e) => e.studentId === student.id)!;
    let files = withFile(schoolFiles('1.1'), 'users.csv', (t) =>
      t.replace(`${student.id},active`, `${student.id},tobedeleted`),
    );
    files = withFile(files, 'enrollments.csv', (t) =>
      t.replace(
        `enr-s-${student.id}-${enrolment.classId},active`,
        `enr-s-${student.id}-${enrolment.classId},tobedeleted`,
      ),
    );
    const { snapshot } = await importFolder(files);
    expect(snapshot.people.find((p) => p.smsId === student.id)?.active).toBe(false);
    expect(snapshot.enrolments.some((e) => e.personSmsId === student.id && e.courseSmsId === enrolment.classId)).toBe(
      false,
    );
  });

  it('keeps ext_/metadata. columns, warns about unknown ones, and leaves guardians out', async () => {
    const files = withFile(schoolFiles('1.1'), 'users.csv', (t) => {
      const [header, ...rows] = t.trimEnd().split('\n');
      return [
        `${header},metadata.house,prefferedGivenName`,
        ...rows.map((r) => `${r},Kōwhai,x`),
        `G1,active,,true,org-school,guardian,g1,,Mere,Parata,,,,,,,,,,Kōwhai,x`,
      ].join('\n');
    });
    const { snapshot, warnings } = await importFolder(files);
    expect(snapshot.people.find((p) => p.smsId === school.students[0]!.id)?.extra).toMatchObject({
      'metadata.house': 'Kōwhai',
    });
    expect(warnings).toContainEqual(expect.objectContaining({ file: 'users.csv', field: 'prefferedGivenName' }));
    expect(snapshot.people.some((p) => p.smsId === 'G1')).toBe(false);
    expect(warnings.some((w) => w.message.includes('guardian'))).toBe(true);
  });
});

describe('OneRoster import (delta)', () => {
  const deltaManifest = (modes: Record<string, string>): string =>
    [
      'propertyName,value',
      'manifest.version,1.0',
      'oneroster.version,1.1',
      ...Object.entries(modes).map(([f, m]) => `file.${f},${m}`),
    ].join('\n');

  it('applies changes to the base: new user and enrolment added, deleted user and enrolment removed', async () => {
    const { snapshot: base } = await importFolder(schoolFiles('1.1'));
    const [gone, kept] = school.students.filter((s) => s.active);
    const keptEnrolment = school.enrolments.find((e) => e.studentId === kept!.id)!;
    const users = [
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,givenName,familyName',
      `N1,active,2026-02-01T00:00:00Z,true,org-school,student,new.one,Aroha,Ngata`,
      `${gone!.id},tobedeleted,2026-02-01T00:00:00Z,true,org-school,student,x,x,x`,
    ].join('\n');
    const enrollments = [
      'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role',
      `enr-n1,active,2026-02-01T00:00:00Z,${keptEnrolment.classId},org-school,N1,student`,
      `enr-x,tobedeleted,2026-02-01T00:00:00Z,${keptEnrolment.classId},org-school,${kept!.id},student`,
    ].join('\n');
    const { snapshot } = await importFolder(
      {
        'manifest.csv': deltaManifest({ users: 'delta', enrollments: 'delta', classes: 'absent' }),
        'users.csv': users,
        'enrollments.csv': enrollments,
      },
      { base },
    );
    expect(snapshot.people.some((p) => p.smsId === gone!.id)).toBe(false);
    expect(snapshot.people.find((p) => p.smsId === 'N1')).toMatchObject({ role: 'student', givenName: 'Aroha' });
    expect(snapshot.courses).toEqual(base.courses);
    expect(snapshot.enrolments).toContainEqual(
      expect.objectContaining({ personSmsId: 'N1', courseSmsId: keptEnrolment.classId }),
    );
    expect(snapshot.enrolments.some((e) => e.personSmsId === kept!.id && e.courseSmsId === keptEnrolment.classId)).toBe(
      false,
    );
    expect(snapshot.enrolments.some((e) => e.personSmsId === gone!.id)).toBe(false);
    expect(snapshot.people).toHaveLength(base.people.length);
  });
});
