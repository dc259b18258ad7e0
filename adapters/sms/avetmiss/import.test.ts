import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { avetmissZip, writeAvetmissFolder } from '../../testing/sms-fixtures/avetmiss';
import { ascii } from '../../testing/sms-fixtures/school';
import { ddmmyyyyFromIso } from './fields';
import { createAvetmissAdapter } from './index';
import { filesS, schoolS, withTempDir } from '../../testing/sms-support/avetmiss';

describe('AVETMISS import: mapping (C.2)', () => {
  it('describes itself', () => {
    expect(createAvetmissAdapter().describe()).toEqual({
      provider: 'avetmiss',
      version: 'AVETMISS 8.0',
      capabilities: { pull: false, push: false, file: true, resultsWriteBack: ['file'] },
    });
  });

  it('maps clients to students, subjects to courses and activities to enrolments (default courseFrom subject)', async () => {
    const school = schoolS();
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, filesS());
      const { snapshot, warnings } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
      expect(warnings).toEqual([]);
      expect(snapshot.people).toHaveLength(school.students.length);
      expect(snapshot.courses).toHaveLength(school.courses.length);
      expect(snapshot.enrolments).toHaveLength(school.enrolments.length);
      expect(snapshot.groups).toEqual([]);
      const student = school.students[0]!;
      expect(snapshot.people[0]).toEqual({
        smsId: student.id,
        role: 'student',
        givenName: ascii(student.givenName),
        familyName: ascii(student.familyName),
        email: student.email,
        active: true,
        extra: { usi: student.nationalId },
      });
      expect(snapshot.people.every((p) => p.role === 'student')).toBe(true);
      const course = school.courses[0]!;
      expect(snapshot.courses[0]).toEqual({
        smsId: course.code,
        code: course.code,
        name: course.name,
        startDate: course.startDate,
        endDate: course.endDate,
      });
      const first = school.enrolments[0]!;
      expect(snapshot.enrolments[0]).toEqual({
        personSmsId: first.studentId,
        courseSmsId: school.courses.find((c) => c.id === first.courseId)!.code,
        role: 'student',
        startDate: first.startDate,
        endDate: first.endDate,
        active: true,
        outcome: '70',
      });
      expect(new Set(snapshot.enrolments.map((e) => e.outcome))).toEqual(new Set(['70', '20', '30', '51']));
    });
  });

  it("courseFrom 'program': one course per qualification, one enrolment per client + program", async () => {
    const school = schoolS();
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, filesS());
      const { snapshot } = await createAvetmissAdapter({ courseFrom: 'program' }).import({ kind: 'path', path: dir });
      const programs = new Set(school.courses.map((c) => c.programCode));
      expect(snapshot.courses.map((c) => c.smsId).sort()).toEqual([...programs].sort());
      // Every synthetic student studies units of one program: one enrolment each.
      expect(snapshot.enrolments).toHaveLength(school.students.length);
      const keys = snapshot.enrolments.map((e) => `${e.personSmsId}|${e.courseSmsId}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(snapshot.enrolments.every((e) => e.outcome === undefined || e.outcome === '70')).toBe(true);
    });
  });

  it('merges a client re-enrolled in the same unit into one enrolment with the latest outcome', async () => {
    const files = filesS();
    const lines = files.NAT00120!.split('\r\n');
    // Re-enrolled after the first activity ended (the school's dates run around today).
    const firstEnd = schoolS().enrolments[0]!.endDate;
    const laterStart = daysAfter(firstEnd, 60);
    const laterEnd = daysAfter(firstEnd, 360);
    const again =
      lines[0]!.slice(0, 52) +
      ddmmyyyyFromIso(laterStart) +
      ddmmyyyyFromIso(laterEnd) +
      lines[0]!.slice(68, 71) +
      '20' +
      lines[0]!.slice(73);
    files.NAT00120 = [...lines.slice(0, -1), again, ''].join('\r\n');
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, files);
      const { snapshot } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
      const clientId = lines[0]!.slice(20, 30).trim();
      const subjectId = lines[0]!.slice(30, 42).trim();
      const merged = snapshot.enrolments.filter((e) => e.personSmsId === clientId && e.courseSmsId === subjectId);
      const started = schoolS().enrolments.find((e) => e.studentId === clientId)!.startDate;
      expect(merged).toEqual([expect.objectContaining({ startDate: started, endDate: laterEnd, outcome: '20' })]);
    });
  });

  it('reads mixed-case file names (nat00080.TXT) and names every file as written in errors', async () => {
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, filesS(), { NAT00080: 'nat00080.TXT', NAT00120: 'Nat00120.Txt' });
      const { snapshot } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
      expect(snapshot.people.length).toBeGreaterThan(0);
      expect(snapshot.enrolments.length).toBeGreaterThan(0);
    });
  });

  it('reads NAT files named without an extension (NAT00080, nat00120)', async () => {
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, filesS(), { NAT00080: 'NAT00080', NAT00120: 'nat00120', NAT00060: 'NAT00060' });
      const { snapshot, warnings } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
      expect(warnings).toEqual([]);
      expect(snapshot.enrolments).toHaveLength(schoolS().enrolments.length);
    });
  });

  it('reads a zip, with the NAT files at the top or in a folder inside it', async () => {
    await withTempDir(async (dir) => {
      const direct = await createAvetmissAdapter().import({ kind: 'path', path: await zipTo(dir, 'a.zip', '') });
      const nested = await createAvetmissAdapter().import({ kind: 'path', path: await zipTo(dir, 'b.zip', 'export/') });
      expect(direct.snapshot).toEqual(nested.snapshot);
      expect(direct.snapshot.enrolments).toHaveLength(schoolS().enrolments.length);
    });
  });

  it('tolerates trailing spaces trimmed away and LF-only line ends', async () => {
    const files = filesS();
    for (const id of ['NAT00080', 'NAT00120', 'NAT00060'] as const) {
      files[id] = files[id]!.replace(/ +\r\n/g, '\n');
    }
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, files);
      const { snapshot, warnings } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
      expect(warnings).toEqual([]);
      expect(snapshot.enrolments).toHaveLength(schoolS().enrolments.length);
    });
  });

  it('warns (once per file) about trailing extra data and skips files that are not NAT files', async () => {
    const files = filesS();
    files.NAT00120 = files.NAT00120!.replace(/\r\n/g, 'Y  VIC-EXTRA\r\n');
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, files);
      await writeFile(join(dir, 'readme.txt'), 'exported by VETtrak');
      const { warnings } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
      expect(warnings).toEqual([
        { message: 'Not a NAT file of AVETMISS 8.0: skipped', file: 'readme.txt' },
        expect.objectContaining({
          file: 'NAT00120.txt',
          line: 1,
          message: expect.stringContaining('beyond the 8.0 record length of 158'),
        }),
      ]);
    });
  });

  it('uses the name for encryption when there is no NAT00085', async () => {
    const files = filesS();
    delete files.NAT00085;
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, files);
      const { snapshot } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
      const student = schoolS().students[0]!;
      expect(snapshot.people[0]).toMatchObject({
        givenName: ascii(student.givenName),
        familyName: ascii(student.familyName),
      });
      expect(snapshot.people[0]!.email).toBeUndefined();
    });
  });
});

function daysAfter(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function zipTo(dir: string, name: string, folderInZip: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, avetmissZip(filesS(), folderInZip));
  return path;
}
