import { CoursesPage } from './pages/courses-page';
import { DashboardPage } from './pages/dashboard-page';
import { expect, test } from './fixtures/school-with-sim';

const LMS = 'Moodle (main)';

test('Courses: a Leave alone switch per course, said when set, kept, and lifted; Settings lists people left alone', async ({
  page,
  host,
  setUpSchool,
}) => {
  const { school } = await setUpSchool();
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  await dashboard.uploadNow(LMS).click();
  await expect(dashboard.partCard(LMS, 'Upload')).toContainText('succeeded', { timeout: 30_000 });
  await dashboard.readCourseListNow(LMS).click();
  await expect(dashboard.partCard(LMS, 'Course tracking')).toContainText('succeeded', { timeout: 30_000 });

  await dashboard.shell.clickNav('Courses');
  const courses = new CoursesPage(page);
  const taught = new Set(school.enrolments.map((e) => e.courseId));
  const course = school.courses.find((c) => taught.has(c.id))!;
  const toggle = courses.row(course.name).getByRole('switch', { name: `Leave ${course.name} alone` });
  await expect(toggle).not.toBeChecked();
  await expect(courses.row(course.name)).toContainText('Synced');

  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(courses.outcome).toContainText(`ClassBridge leaves the course ${course.name}`);
  await expect(courses.outcome).toContainText('no update, enrolment or class change');
  await expect(toggle).toBeChecked();
  await expect(courses.row(course.name)).toContainText('Left alone');

  // Kept: after a reload, and the dry run of the next upload says so.
  await page.reload();
  await expect(courses.row(course.name).getByRole('switch')).toBeChecked();
  const dryRun = await host.cli(['sync', 'upload', '--dry-run']);
  expect(dryRun.stdout).toContain('Left alone, as you asked: 1 course');

  await courses.row(course.name).getByRole('switch').click();
  await expect(courses.outcome).toContainText('is no longer left alone');
  await expect(courses.row(course.name).getByRole('switch')).not.toBeChecked();

  await dashboard.shell.clickNav('Settings');
  await expect(page.getByRole('heading', { name: 'People left alone' })).toBeVisible();
  await expect(page.getByText('classbridge leave-alone add person')).toBeVisible();
});
