import { describe, expect, it } from 'vitest';
import { writeAvetmissFolder } from '../../testing/sms-fixtures/avetmiss';
import { filesS, patchLine, withTempDir } from '../../testing/sms-support/avetmiss';
import { ddmmyyyyFromIso } from './fields';
import { createAvetmissAdapter } from './index';

/**
 * A course's dates from NAT00120 (C.2): each unit enrolment has its own activity start (pos 53) and end
 * (pos 61); the course (the subject, or the program's occurrence) runs from the earliest start to the
 * latest end of its enrolments, which is what the LMS course gets.
 */
describe('AVETMISS course dates from activity dates', () => {
  it('a subject whose students started and finish on different days spans the earliest start to the latest end', async () => {
    const files = filesS();
    const nat120 = files.NAT00120!;
    const lines = nat120.split('\r\n');
    const subjectOf = (line: string) => line.slice(30, 42).trim();
    const subject = subjectOf(lines[0]!);
    const rows = lines.map((l, i) => ({ l, i })).filter(({ l }) => l !== '' && subjectOf(l) === subject);
    expect(rows.length).toBeGreaterThan(1);
    // One student starts before everyone else, another finishes after (an early start, an extension).
    let patched = patchLine(nat120, rows[0]!.i + 1, 53, ddmmyyyyFromIso('2020-01-20'));
    patched = patchLine(patched, rows[1]!.i + 1, 61, ddmmyyyyFromIso('2029-12-18'));
    await withTempDir(async (dir) => {
      await writeAvetmissFolder(dir, { ...files, NAT00120: patched });
      const { snapshot } = await createAvetmissAdapter().import({ kind: 'path', path: dir });
      const course = snapshot.courses.find((c) => c.smsId === subject)!;
      const enrolments = snapshot.enrolments.filter((e) => e.courseSmsId === subject);
      expect(course.startDate).toBe('2020-01-20');
      expect(course.endDate).toBe('2029-12-18');
      expect(enrolments.map((e) => e.startDate!).sort()[0]).toBe('2020-01-20');
      expect(
        enrolments
          .map((e) => e.endDate!)
          .sort()
          .at(-1),
      ).toBe('2029-12-18');
    });
  });
});
