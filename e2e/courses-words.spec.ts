import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { freshSiteSeed, startMoodleSim } from '../adapters/testing/moodle-sim';
import { generateSchool, oneRosterFiles, zipBytes } from '../adapters/testing/sms-fixtures';
import type { SyntheticSchool } from '../adapters/testing/sms-fixtures/school';
import { expect, test } from './fixtures/school-with-sim';
import { CoursesPage } from './pages/courses-page';
import { DashboardPage } from './pages/dashboard-page';
import { SetupPage } from './pages/setup-page';

/**
 * Issue 18, items 10 and 11: the Courses page says what each state does and asks before closing a
 * course with enrolments; SMS courses the LMS lacks are listed with what to do; the wizard asks for a
 * time zone, roles and a category by name, and offers to send results only to an SMS that takes them.
 */

const LMS = 'Moodle (main)';

function taughtCourses(school: SyntheticSchool) {
  const taught = new Set(school.enrolments.map((e) => e.courseId));
  return school.courses.filter((c) => taught.has(c.id)).sort((a, b) => a.name.localeCompare(b.name));
}

test('courses: SMS courses not in the LMS, badges with a row action, and closing asks first', async ({
  page,
  host,
  setUpSchool,
}) => {
  test.setTimeout(75_000);
  const { school } = await setUpSchool();
  const taught = taughtCourses(school);
  const course = taught[0]!;
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();

  // Before the LMS's course list was read, the page does not pretend every course is missing.
  await dashboard.shell.clickNav('Courses');
  const courses = new CoursesPage(page);
  const missing = page.getByRole('region', { name: 'In the SMS, not in the LMS' });
  await expect(missing).toContainText(`ClassBridge has not read ${LMS}’s course list yet`);
  // Results need Open courses: the page says so before anything else is done.
  await expect(page.getByRole('note').filter({ hasText: 'Results are read from Open courses only.' })).toBeVisible();

  // Once read, the school's courses are listed, with the upload creating them (a category is chosen).
  await courses.shell.clickNav('Dashboard');
  await dashboard.readCourseListNow(LMS).click();
  await expect(dashboard.partCard(LMS, 'Course tracking')).toContainText('succeeded', { timeout: 30_000 });
  await dashboard.shell.clickNav('Courses');
  const list = missing.getByRole('table', {
    name: new RegExp(`^${LMS.replace(/[()]/g, '\\$&')}: \\d+ SMS courses? with no LMS course$`),
  });
  const row = list.getByRole('row', { name: new RegExp(course.name) }).first();
  await expect(row).toContainText('The next upload creates it.');
  await expect(missing).toContainText('The next upload creates them in the category chosen for new courses.');
  const students = school.enrolments.filter((e) => e.courseId === course.id).length;
  // Its students and its teachers: every active SMS enrolment waits for the course.
  const waiting = row.getByRole('cell').nth(1);
  await expect(waiting).toHaveText(/^\d+$/);
  expect(Number(await waiting.textContent())).toBeGreaterThanOrEqual(students);

  // After the upload made them, none is missing.
  await courses.shell.clickNav('Dashboard');
  await dashboard.uploadNow(LMS).click();
  await expect(dashboard.partCard(LMS, 'Upload')).toContainText('succeeded', { timeout: 30_000 });
  await dashboard.readCourseListNow(LMS).click();
  await dashboard.shell.clickNav('Courses');
  await expect(courses.row(course.name)).toBeVisible({ timeout: 30_000 });
  await expect(missing).toContainText('Every SMS course has an LMS course.');

  // The state is a badge; the row's own button opens it.
  const courseRow = courses.row(course.name);
  await expect(courseRow.locator('.course-state-badge')).toHaveText(/New/);
  await courseRow.getByRole('button', { name: `Open ${course.name}` }).click();
  await expect(courses.outcome).toHaveText('1 course opened');
  await expect(courseRow.locator('.course-state-badge')).toHaveText(/Open/);

  // Closing a course with enrolments says what happens to them, and waits for a yes.
  await courseRow.getByRole('button', { name: `Close ${course.name}` }).click();
  const ask = page.getByRole('alertdialog', { name: `Close ${course.name}?` });
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('ClassBridge stops reading its results');
  await expect(ask).toContainText(
    /\d+ enrolments? from the SMS stays? as (it is|they are) in the LMS: nobody is unenrolled/,
  );
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toHaveCount(0);
  await expect(courseRow.locator('.course-state-badge')).toHaveText(/Open/);
  await courseRow.getByRole('button', { name: `Close ${course.name}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Close the course' }).click();
  await expect(courses.outcome).toHaveText('1 course closed');
  await expect(courseRow.locator('.course-state-badge')).toHaveText(/Closed/);
  await expect(courseRow.getByRole('button', { name: `Open again ${course.name}` })).toBeVisible();
});

test('wizard words: time zone from a list, roles and the category by name, results only where taken', async ({
  page,
  host,
  sims,
}) => {
  test.setTimeout(75_000);
  sims.push(await startMoodleSim());
  const sim = sims[0]!;
  const zip = path.join(host.dataDir, 'oneroster.zip');
  await writeFile(zip, zipBytes(oneRosterFiles(generateSchool({ seed: 5 }))));
  const setup = new SetupPage(page);
  await setup.openFromDashboard(host.url);
  await setup.chooseSms('OneRoster SIS');
  await setup.fill('OneRoster export', zip);
  await setup.next('Step 2 of 6: LMS');
  const lms = await setup.fillLms('LMS 1', { name: 'Moodle', url: sim.url, token: sim.token });
  await lms.getByRole('button', { name: 'Test connection' }).click();
  await expect(setup.testResult('Moodle')).toContainText('Connected');
  await setup.next('Step 3 of 6: Mapping');

  // Roles by name; the number the test found is said in words, the number box folded away as a fallback.
  const students = setup.field('Students get the LMS role');
  await expect(students).toHaveValue('student');
  await expect(students.locator('option:checked')).toHaveText('Student');
  await expect(page.getByText('Found on the site: role number 5, learnt from course participants.')).toBeVisible();
  await expect(setup.field('Students’ role number (optional)')).toBeHidden();
  await expect(page.getByLabel('Its role id (optional)')).toHaveCount(0);
  const teachers = setup.field('Teachers get the LMS role');
  await teachers.selectOption({ label: 'Non-editing teacher' });
  await expect(teachers).toHaveValue('teacher');
  await teachers.selectOption({ label: 'Another role (type its short name)' });
  await setup.fill('Teachers get the LMS role with the short name', 'editingteacher');
  await page.getByRole('button', { name: 'Choose from the list' }).click();
  await expect(setup.field('Teachers get the LMS role')).toHaveValue('editingteacher');

  // The category for new courses by name, once the site's categories are read.
  await expect(setup.field('Category id for new courses (optional)')).toBeVisible();
  await page.getByRole('button', { name: 'Read the site’s categories' }).first().click();
  const category = setup.field('Category for new courses');
  await category.selectOption({ label: 'School of Science' });
  await expect(category).toHaveValue('2');
  await expect(setup.field('Category id for new courses (optional)')).toHaveCount(0);

  // OneRoster takes results back: the wizard offers to send them.
  await setup.next('Step 4 of 6: Export and schedule');
  await expect(setup.field('Send results back to OneRoster SIS automatically')).toBeVisible();

  // The time zone from a list: likely zones first, narrowed by a search.
  const zone = setup.field('School time zone');
  await expect(zone.locator('optgroup').first()).toHaveAttribute('label', 'Likely for your school');
  await expect(
    zone.locator('optgroup').first().locator('option', { hasText: 'Auckland (Pacific/Auckland)' }),
  ).toHaveCount(1);
  await setup.field('Find a time zone').fill('melbourne');
  await expect(page.getByText('1 found.')).toBeVisible();
  await zone.selectOption('Australia/Melbourne');
  await expect(zone).toHaveValue('Australia/Melbourne');
  await setup.field('Find a time zone').fill('');
  await expect(zone.locator('option')).not.toHaveCount(1);
  await expect(zone).toHaveValue('Australia/Melbourne');

  // No config key and no backtick on either step.
  for (const text of [await page.locator('main').innerText()]) {
    expect(text).not.toContain('`');
    expect(text).not.toMatch(/\b(settings|mapping)\.[a-z]+/);
  }
});

test('wizard words on a fresh site: a role nobody has yet, and a token that may not list categories', async ({
  page,
  host,
  sims,
}) => {
  test.setTimeout(60_000);
  sims.push(await startMoodleSim({ seed: freshSiteSeed() }));
  const sim = sims[0]!;
  sim.revokeFunction(sim.token, 'core_course_get_categories');
  const zip = path.join(host.dataDir, 'oneroster.zip');
  await writeFile(zip, zipBytes(oneRosterFiles(generateSchool({ seed: 5 }))));
  const setup = new SetupPage(page);
  await setup.openFromDashboard(host.url);
  await setup.chooseSms('OneRoster SIS');
  await setup.fill('OneRoster export', zip);
  await setup.next('Step 2 of 6: LMS');
  const lms = await setup.fillLms('LMS 1', { name: 'Moodle', url: sim.url, token: sim.token });
  await lms.getByRole('button', { name: 'Test connection' }).click();
  await expect(setup.testResult('Moodle')).toContainText('Connected');
  await setup.next('Step 3 of 6: Mapping');

  // Nobody is enrolled anywhere: the role is still chosen by name, and the page says which number is tried.
  await expect(setup.field('Students get the LMS role')).toHaveValue('student');
  await expect(
    page.getByText('Nobody has this role on the site yet: ClassBridge uses Moodle’s usual number, 5,'),
  ).toBeVisible();
  // The number box stays there as a fallback, with a plain hint.
  await page.getByText('Only if ClassBridge cannot find the role: its number').first().click();
  await expect(setup.field('Students’ role number (optional)')).toHaveAccessibleDescription(
    /Leave it empty: ClassBridge finds the number from people enrolled in courses/,
  );

  // The token may not list categories: the id is typed, and nothing else breaks.
  await page.getByRole('button', { name: 'Read the site’s categories' }).first().click();
  await expect(page.getByText('The site did not list its categories to this token').first()).toBeVisible();
  await expect(setup.field('Category id for new courses (optional)')).toBeVisible();
  await setup.fillMapping({ category: '1' });
  await setup.next('Step 4 of 6: Export and schedule');
});
