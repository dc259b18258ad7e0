import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { cleanTempDirs, importFolder, schoolFiles, withFile } from '../../testing/sms-support/oneroster';

afterAll(cleanTempDirs);

/** Sets one column on every row of a CSV text (by header name), keeping the rest as it was. */
function setColumn(text: string, column: string, value: (row: Record<string, string>) => string): string {
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  const columns = Object.keys(rows[0] ?? {});
  return stringify(
    rows.map((row) => ({ ...row, [column]: value(row) })),
    { header: true, columns },
  );
}

const sessionsOf = (files: Record<string, string>) =>
  new Map(
    (parse(files['academicSessions.csv'] ?? '', { columns: true }) as Record<string, string>[]).map((s) => [
      s.sourcedId!,
      s,
    ]),
  );

/**
 * A course's dates and term come from its class's terms (termSourcedIds → academicSessions startDate,
 * endDate, title), its subject from the subjects column: what category and template rules test
 * (mapping.courseCategories / courseTemplates: field term, subject).
 */
describe('OneRoster course dates, term and subject', () => {
  it('per class: the term session gives startDate, endDate and term; the class subjects (else the course’s) the subject', async () => {
    let files = schoolFiles('1.2');
    files = withFile(files, 'classes.csv', (t) =>
      setColumn(t, 'subjects', (r) => (r.classCode?.endsWith('1') ? 'Mathematics,Statistics' : '')),
    );
    files = withFile(files, 'courses.csv', (t) => setColumn(t, 'subjects', () => 'Science'));
    const { snapshot } = await importFolder(files);
    const sessions = sessionsOf(files);
    const classes = parse(files['classes.csv'] ?? '', { columns: true }) as Record<string, string>[];
    expect(snapshot.courses.length).toBe(classes.length);
    for (const klass of classes) {
      const course = snapshot.courses.find((c) => c.smsId === klass.sourcedId)!;
      const term = sessions.get(klass.termSourcedIds!)!;
      expect(course).toMatchObject({ startDate: term.startDate, endDate: term.endDate, term: term.title });
      expect(course.subject).toBe(klass.classCode?.endsWith('1') ? 'Mathematics, Statistics' : 'Science');
    }
  });

  it('per course (courseFrom: course): the span of its classes’ terms, their titles, the course subjects', async () => {
    const files = withFile(schoolFiles('1.2'), 'courses.csv', (t) => setColumn(t, 'subjects', () => 'English'));
    const { snapshot } = await importFolder(files, { courseFrom: 'course' });
    const sessions = sessionsOf(files);
    const classes = parse(files['classes.csv'] ?? '', { columns: true }) as Record<string, string>[];
    for (const course of snapshot.courses) {
      const terms = classes
        .filter((k) => k.courseSourcedId === course.smsId)
        .map((k) => sessions.get(k.termSourcedIds!)!);
      if (terms.length === 0) continue;
      expect(course.startDate).toBe(terms.map((t) => t.startDate!).sort()[0]);
      expect(course.endDate).toBe(
        terms
          .map((t) => t.endDate!)
          .sort()
          .at(-1),
      );
      expect(course.term).toBe([...new Set(terms.map((t) => t.title))].join(', '));
      expect(course.subject).toBe('English');
    }
  });
});
