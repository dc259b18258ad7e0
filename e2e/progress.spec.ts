import { expect, test } from './fixtures/school-with-sim';
import { ProgressPage } from './pages/progress-page';
import { apiFor, syncWithResults } from './pages/school-data';

const percent = (text: string): number => Number(text.replace(/[^\d.]/g, ''));

test('Progress shows each enrolment after a download, sorts, searches, groups by student and exports CSV', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  const { school } = await setUpSchool({ seed: 11 });
  const progress = new ProgressPage(page);
  await progress.open(host.url);
  await expect(progress.emptyState).toBeVisible();

  // The download finishes in the engine; the page follows through the event stream, no reload.
  const api = apiFor(host);
  await syncWithResults(api, sims[0]!, school);
  const results = await api('progress:list', {});
  expect(results.length).toBeGreaterThan(20);
  await expect(progress.rows).toHaveCount(results.length, { timeout: 15_000 });
  await expect(page.getByRole('status').filter({ hasText: `${results.length} enrolments` })).toBeVisible();

  // One known result, as the engine computed it, in the row for that student and course.
  const sample = results.find((r) => r.grade !== null) ?? results[0]!;
  const courses = await api('courses:list', { states: ['Open'] });
  const courseName = courses.find((c) => c.lmsId === sample.lmsCourseId)!.fullname;
  const row = progress.rows.filter({ hasText: sample.personSmsId }).filter({ hasText: courseName });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`${Math.round(sample.progressPercent * 10) / 10} %`);
  if (sample.grade) await expect(row).toContainText(sample.grade);
  // Named as the SMS names them, not only by id.
  expect(sample.personName).toBeTruthy();
  await expect(row).toContainText(`${sample.personName} (${sample.personSmsId})`);

  // Sort by progress, highest first, by keyboard.
  await progress.sortButton('Progress').focus();
  await page.keyboard.press('Enter');
  await expect(progress.columnHeader('Progress')).toHaveAttribute('aria-sort', 'descending');
  const shown = (await progress.column(2)).map(percent);
  expect(shown).toEqual([...shown].sort((a, b) => b - a));
  await progress.sortButton('Progress').click();
  await expect(progress.columnHeader('Progress')).toHaveAttribute('aria-sort', 'ascending');
  expect((await progress.column(2)).map(percent)[0]).toBe(Math.min(...results.map((r) => r.progressPercent)));

  // Search narrows to one student; By student shows them across their courses.
  const student = sample.personSmsId;
  const theirs = results.filter((r) => r.personSmsId === student);
  await progress.search.fill(student);
  await expect(progress.rows).toHaveCount(theirs.length);
  await progress.byStudent.check();
  await expect(progress.rows).toHaveCount(1);
  await expect(progress.rows.first()).toContainText(courseName);
  const average = theirs.reduce((sum, r) => sum + r.progressPercent, 0) / theirs.length;
  await expect(progress.rows.first()).toContainText(`${Math.round(average * 10) / 10} %`);

  // The export is what is shown (the search applies), as CSV a spreadsheet opens.
  const byStudentCsv = await progress.exportCsv();
  expect(byStudentCsv.download.suggestedFilename()).toMatch(/^classbridge-progress-by-student-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = byStudentCsv.text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('Student,Courses,Average progress %,Lowest progress %,Last update');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(student);

  await progress.byCourse.check();
  await progress.search.fill('');
  await progress.courseFilter.selectOption({ label: courseName });
  const inCourse = results.filter((r) => r.lmsCourseId === sample.lmsCourseId);
  await expect(progress.rows).toHaveCount(inCourse.length);
  const byCourseCsv = await progress.exportCsv();
  const courseLines = byCourseCsv.text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(courseLines[0]).toBe('Course,Course short name,LMS,Student,Progress %,Grade,Grade %,Last update');
  expect(courseLines).toHaveLength(inCourse.length + 1);

  await progress.search.fill('no such student');
  await expect(page.getByRole('heading', { name: 'No progress matches this search.' })).toBeVisible();
});
