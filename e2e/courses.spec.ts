import { CoursesPage } from './pages/courses-page';
import { DashboardPage } from './pages/dashboard-page';
import type { SyntheticSchool } from '../adapters/testing/sms-fixtures/school';
import { expect, test } from './fixtures/school-with-sim';

/** The school's courses that have students (only those are in the SMS export), by name. */
function taughtCourses(school: SyntheticSchool) {
  const taught = new Set(school.enrolments.map((e) => e.courseId));
  return school.courses.filter((c) => taught.has(c.id)).sort((a, b) => a.name.localeCompare(b.name));
}

const LMS = 'Moodle (main)';

test('courses read from the LMS start New; bulk select opens them; filters, counts and deleted courses', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  const { school } = await setUpSchool();
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();

  // The upload creates the school's courses (the mapping has a category for new ones); course tracking lists them.
  await dashboard.uploadNow(LMS).click();
  await expect(dashboard.partCard(LMS, 'Upload')).toContainText('succeeded', { timeout: 30_000 });
  await dashboard.readCourseListNow(LMS).click();
  const tracking = dashboard.partCard(LMS, 'Course tracking');
  await expect(tracking).toContainText('succeeded', { timeout: 30_000 });
  await expect(tracking).toContainText(/\d+ new/);

  await dashboard.shell.clickNav('Courses');
  const courses = new CoursesPage(page);
  const taught = taughtCourses(school);
  const [first, second, third] = taught;
  await expect(courses.row(first!.name)).toBeVisible();
  expect(await courses.rows().count()).toBeGreaterThanOrEqual(taught.length);
  await expect(courses.row(first!.name)).toContainText('New');
  // Each course says how many SMS enrolments go into it, and that no results have been read yet.
  const students = school.enrolments.filter((e) => e.courseId === first!.id).length;
  const enrolmentCell = courses.row(first!.name).getByRole('cell').nth(5);
  await expect(enrolmentCell).toHaveText(/^\d+$/);
  expect(Number(await enrolmentCell.textContent())).toBeGreaterThanOrEqual(students);
  await expect(courses.row(first!.name)).toContainText('none yet');

  // Bulk select by keyboard: Space ticks each box; the buttons say why they wait until something is chosen.
  await expect(courses.openSelected).toBeDisabled();
  await expect(page.getByText('Select courses to open or close them')).toBeVisible();
  for (const course of [first!, second!]) {
    await courses.selectCourse(course.name).focus();
    await page.keyboard.press('Space');
  }
  await expect(page.getByText('2 selected')).toBeVisible();
  await courses.openSelected.focus();
  await page.keyboard.press('Enter');
  await expect(courses.outcome).toHaveText('2 courses opened');
  await expect(courses.row(first!.name)).toContainText('Open');
  await expect(courses.row(second!.name)).toContainText('Open');
  await expect(courses.row(third!.name)).toContainText('New');

  // Filter by state, then search.
  await courses.stateFilter.selectOption('Open');
  await expect(courses.rows()).toHaveCount(2);
  await courses.search.fill(second!.name);
  await expect(courses.rows()).toHaveCount(1);
  await expect(courses.row(second!.name)).toBeVisible();
  await courses.search.fill('');
  await courses.stateFilter.selectOption('all');

  // Close one again with "select all" limited to what the search shows.
  await courses.search.fill(first!.name);
  await expect(courses.rows()).toHaveCount(1);
  await courses.selectAll.check();
  await courses.closeSelected.click();
  // It holds enrolments, so the page first says what closing does to them (e2e/courses-words.spec.ts).
  await page.getByRole('alertdialog').getByRole('button', { name: 'Close the course' }).click();
  await expect(courses.outcome).toHaveText('1 course closed');
  await courses.search.fill('');
  await expect(courses.row(first!.name)).toContainText('Closed');

  // A course deleted in the LMS is hidden until the filter asks for deleted courses.
  const lmsCourse = [...sims[0]!.state.courses.values()].find((c) => c.fullname === third!.name);
  expect(lmsCourse, 'the upload created the course in the LMS').toBeDefined();
  sims[0]!.state.courses.delete(lmsCourse!.id);
  await courses.shell.clickNav('Dashboard');
  await dashboard.readCourseListNow(LMS).click();
  await expect(tracking).toContainText(/1 gone/, { timeout: 30_000 });
  await dashboard.shell.clickNav('Courses');
  await expect(courses.row(second!.name)).toBeVisible();
  await expect(courses.row(third!.name)).toHaveCount(0);
  await courses.showDeleted.check();
  await expect(courses.row(third!.name)).toContainText('Deleted in the LMS');
  await expect(courses.selectCourse(third!.name)).toBeDisabled();
});

test('last results per course appear after Download now', async ({ page, host, setUpSchool }) => {
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
  const course = taughtCourses(school)[0]!;
  await courses.selectCourse(course.name).check();
  await courses.openSelected.click();
  await expect(courses.outcome).toHaveText('1 course opened');

  await courses.shell.clickNav('Dashboard');
  const download = dashboard.downloadNow(LMS);
  await download.click();
  await expect(dashboard.partCard(LMS, 'Results')).toContainText(/succeeded|partly succeeded/, { timeout: 30_000 });
  await expect(download).toBeEnabled();

  await dashboard.shell.clickNav('Courses');
  await expect(courses.row(course.name)).toContainText(/\d+ results?, average progress/);
});
