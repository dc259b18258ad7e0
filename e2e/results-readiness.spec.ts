import { addActivities } from '../adapters/testing/moodle-sim';
import type { SyntheticSchool } from '../adapters/testing/sms-fixtures/school';
import { CoursesPage } from './pages/courses-page';
import { DashboardPage } from './pages/dashboard-page';
import { expect, test } from './fixtures/school-with-sim';

/** The school's courses that have students (only those are in the SMS export), by name. */
function taughtCourses(school: SyntheticSchool) {
  const taught = new Set(school.enrolments.map((e) => e.courseId));
  return school.courses.filter((c) => taught.has(c.id)).sort((a, b) => a.name.localeCompare(b.name));
}

const LMS = 'Moodle (main)';

test('results readiness on the Courses page: a hidden graded item and a course without graded activities, each with its fix', async ({
  page,
  host,
  sims,
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

  const [graded, hidden, empty] = taughtCourses(school);
  const sim = sims[0]!;
  const lmsId = (name: string) => [...sim.state.courses.values()].find((c) => c.fullname === name)!.id;
  // Teachers set up their gradebooks: one course is sound, one has an exam not released, one has nothing graded.
  addActivities(sim.state, lmsId(graded!.name), [{ name: 'Assessment 1' }]);
  addActivities(sim.state, lmsId(hidden!.name), [{ name: 'Assessment 1' }, { name: 'Final exam', hidden: true }]);

  await dashboard.shell.clickNav('Courses');
  const courses = new CoursesPage(page);
  for (const course of [graded!, hidden!, empty!]) await courses.selectCourse(course.name).check();
  await courses.openSelected.click();
  await expect(courses.outcome).toHaveText('3 courses opened');

  const section = page.getByRole('region', { name: 'Results readiness' });
  await section.getByRole('button', { name: 'Check results readiness' }).click();
  const table = section.getByRole('table', { name: new RegExp(`^${LMS.replace(/[()]/g, '\\$&')}:`) });
  const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row(hidden!.name)).toContainText('Not ready', { timeout: 30_000 });
  await expect(row(hidden!.name)).toContainText('"Final exam" is hidden from students');
  await expect(row(hidden!.name)).toContainText(
    'Fix: In the course gradebook (Grades › Gradebook setup) show the item',
  );
  await expect(row(empty!.name)).toContainText('Not ready');
  await expect(row(empty!.name)).toContainText('The gradebook has no graded activity');
  await expect(row(empty!.name)).toContainText('Fix: Add the graded activities');
  await expect(row(graded!.name)).toContainText('Ready');
  await expect(section.getByRole('heading', { name: `${LMS}: 2 courses not ready of 3 Open` })).toBeVisible();
});
