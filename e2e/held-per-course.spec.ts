import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MoodleSim } from '../adapters/testing/moodle-sim';
import { combinedCsv } from '../adapters/testing/sms-fixtures/csv';
import { DashboardPage } from './pages/dashboard-page';
import { expect, test } from './fixtures/school-with-sim';

const LMS = 'Moodle (main)';

/** Each of the course's students, as the LMS has their enrolment: 'active' or 'suspended' (undefined: none). */
function enrolmentStates(sim: MoodleSim, courseCode: string, usernames: readonly string[]): (string | undefined)[] {
  const { state } = sim;
  const course = [...state.courses.values()].find((c) => c.idnumber === courseCode || c.shortname === courseCode);
  if (!course) throw new Error(`course ${courseCode} is not in the simulated Moodle`);
  const users = [...state.users.values()];
  return usernames.map((username) => {
    const user = users.find((u) => u.username === username);
    const enrolment = state.userEnrolments.find(
      (ue) => ue.userid === user?.id && state.enrolInstances.get(ue.enrolid)?.courseid === course.id,
    );
    return enrolment ? (enrolment.status === 0 ? 'active' : 'suspended') : undefined;
  });
}

test('a class vanishing from the export is held per course; the review groups by course and Approve applies it', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  const { school } = await setUpSchool();
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  const upload = dashboard.uploadNow(LMS);
  await upload.click();
  await expect(dashboard.partCard(LMS, 'Upload')).toContainText('succeeded', { timeout: 30_000 });
  await expect(upload).toBeEnabled();

  // The school's largest class; the next export has lost it (its students are still in their other classes).
  const sizes = new Map<string, number>();
  for (const e of school.enrolments) sizes.set(e.courseId, (sizes.get(e.courseId) ?? 0) + 1);
  const [courseId, size] = [...sizes].sort((a, b) => b[1] - a[1])[0]!;
  const course = school.courses.find((c) => c.id === courseId)!;
  const students = school.enrolments
    .filter((e) => e.courseId === courseId)
    .map((e) => school.students.find((s) => s.id === e.studentId)!);
  // At least the per-course minimum (5), and within the school-wide limit (10 % of the enrolments):
  // only the per-course check holds it.
  expect(size).toBeGreaterThanOrEqual(5);
  expect(size).toBeLessThanOrEqual(school.enrolments.length / 10);
  const usernames = students.map((s) => s.username);
  expect(enrolmentStates(sims[0]!, course.code, usernames)).toEqual(usernames.map(() => 'active'));

  const next = path.join(host.dataDir, 'students-without-class.csv');
  writeFileSync(next, combinedCsv({ ...school, enrolments: school.enrolments.filter((e) => e.courseId !== courseId) }));
  const imported = host.cli(['import', '--provider', 'csv', next]);
  expect(imported.status, imported.stderr).toBe(0);

  await upload.click();
  const banner = dashboard.heldPlanBanner(LMS);
  await expect(banner).toBeVisible({ timeout: 30_000 });
  const label = `${course.name} (${course.code})`;
  // The hold names the course: "Year 12 Music (12MUS): 5 of 5 students".
  await expect(banner).toContainText(
    `more than half of the students out of a course — ${label}: ${size} of ${size} students`,
  );
  await expect(banner).toContainText('Nothing has been removed yet.');
  await expect(dashboard.partCard(LMS, 'Upload')).toContainText('held for your approval');

  await banner.getByRole('button', { name: 'Review' }).click();
  await expect(banner.getByRole('heading', { level: 3, name: `Review: ${size} removals` })).toBeFocused();
  const byCourse = banner.getByRole('list', { name: 'Removals by course' });
  await expect(byCourse.getByRole('listitem').first()).toContainText(
    `${label}: ${size} of ${size} students — more than the per-course limit`,
  );
  // The course the plan is held for is open: its students by name.
  const taken = byCourse.getByRole('list', { name: `Students taken out of ${label}` });
  await expect(taken).toBeVisible();
  for (const student of students) {
    await expect(taken).toContainText(`${student.givenName} ${student.familyName} (${student.username})`);
  }
  await expect(taken.getByRole('listitem')).toHaveCount(size);
  expect(enrolmentStates(sims[0]!, course.code, usernames)).toEqual(usernames.map(() => 'active'));

  await banner.getByRole('button', { name: 'Approve and upload' }).click();
  await expect(page.getByText('Approved and uploaded.')).toBeVisible({ timeout: 30_000 });
  await expect(banner).toHaveCount(0);
  await expect(upload).toBeEnabled();
  // The default removal policy suspends the class's enrolments; the students stay active elsewhere.
  expect(enrolmentStates(sims[0]!, course.code, usernames)).toEqual(usernames.map(() => 'suspended'));
  for (const username of usernames) {
    expect([...sims[0]!.state.users.values()].find((u) => u.username === username)?.suspended, username).toBe(false);
  }
});
