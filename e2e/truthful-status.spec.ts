import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { combinedCsv } from '../adapters/testing/sms-fixtures/csv';
import { DashboardPage } from './pages/dashboard-page';
import { HistoryPage } from './pages/history-page';
import { expect, test } from './fixtures/school-with-sim';

// Issue 18: the app tells the admin the truth.

test('a refused export shows on the dashboard with its reason, and in History; the last good import is kept', async ({
  page,
  host,
  setUpSchool,
}) => {
  await setUpSchool();
  // The next export breaks: the student id column is gone.
  const broken = path.join(host.dataDir, 'students-broken.csv');
  writeFileSync(broken, 'first_name,last_name,email\nAroha,Ngata,aroha@example.school.nz\n');
  const refused = host.cli(['import', '--provider', 'csv', broken]);
  expect(refused.status).not.toBe(0);

  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  const notice = page.getByTestId('import-failed');
  await expect(notice).toContainText('The last import from the SMS failed');
  await expect(notice).toContainText('students-broken.csv');
  await expect(notice).toContainText('keeps syncing the last good import');
  await expect(page.getByText('Nothing imported from the SMS yet.')).toHaveCount(0);

  const history = new HistoryPage(page);
  await history.open(host.url);
  const failed = history.runRows.filter({ hasText: 'students-broken.csv' });
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText(/failed/i);
});

test('one headline and at most one banner, on the first screen at 800×600; the rest are named', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 800, height: 600 });
  const { school } = await setUpSchool();
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  const headline = page.getByTestId('headline');
  await expect(headline).toContainText('Paused — no sync has finished yet');

  await dashboard.uploadNow('Moodle (main)').click();
  await expect(dashboard.partCard('Moodle (main)', 'Upload')).toContainText('succeeded', { timeout: 30_000 });
  await expect(headline).toContainText(/Paused — last sync \d{1,2}:\d{2}/);

  // Two things go wrong at once: the next export loses half the students (held for approval) and the
  // course list can no longer be read (the token lost a function).
  const kept = school.students.slice(0, Math.ceil(school.students.length / 2));
  const truncated = path.join(host.dataDir, 'students-truncated.csv');
  writeFileSync(truncated, combinedCsv({ ...school, students: kept }));
  expect(host.cli(['import', '--provider', 'csv', truncated]).status).toBe(0);
  await dashboard.uploadNow('Moodle (main)').click();
  await expect(dashboard.heldPlanBanner('Moodle (main)')).toBeVisible({ timeout: 30_000 });
  for (const fn of ['core_course_get_courses', 'core_course_get_courses_by_field'])
    sims[0]!.revokeFunction(sims[0]!.token, fn);
  await dashboard.readCourseListNow('Moodle (main)').click();
  await expect(dashboard.partCard('Moodle (main)', 'Course tracking')).toContainText(/failed/i, { timeout: 30_000 });

  await expect(headline).toContainText('Waiting for you');
  await expect(page.locator('.banner')).toHaveCount(1);
  await expect(dashboard.heldPlanBanner('Moodle (main)')).toBeVisible();
  await expect(page.getByTestId('connection-problem')).toHaveCount(0);
  await expect(page.getByTestId('also-waiting')).toContainText('trouble syncing with Moodle (main)');

  // The headline and the banner's heading are on the first screen, and nothing scrolls sideways.
  for (const locator of [headline, dashboard.heldPlanBanner('Moodle (main)').getByRole('heading').first()]) {
    const box = await locator.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(600);
  }
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
});

test('errors with one cause are one row with a count, named records and one action; the dashboard agrees', async ({
  page,
  host,
  setUpSchool,
}) => {
  test.setTimeout(90_000);
  // The school's CSV export names each class's teacher but gives no staff username, and usernames come
  // from the SMS's: every teacher stops on the same cause, with a message naming the teacher.
  const { school } = await setUpSchool();
  const noUsername = school.staff.filter((s) => school.classes.some((c) => c.teacherId === s.id));
  expect(noUsername.length).toBeGreaterThanOrEqual(2);

  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  await dashboard.uploadNow('Moodle (main)').click();
  await expect(page.locator('.summary-number').first()).toHaveText(String(noUsername.length), { timeout: 30_000 });

  await page.goto(`${host.url.split('?')[0]}#/errors`);
  const rows = page.getByRole('table', { name: 'Sync errors' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  const row = rows.first();
  await expect(row).toContainText(`${noUsername.length} people`);
  for (const s of noUsername.slice(0, 5)) await expect(row).toContainText(`${s.givenName} ${s.familyName} (${s.code})`);
  await expect(row).toContainText('For example:');
  await expect(row).toContainText('Enter a username for this person in the SMS');
  await expect(page.getByTestId('error-count')).toHaveText(`${noUsername.length} open errors, from 1 cause`);
  // One action for all of them: one upload sends every one again once they are fixed.
  await expect(row.getByRole('button', { name: /^Upload now/ })).toBeVisible();
});

test('at 800×600 no page scrolls sideways, and no page shows backticks or config keys', async ({
  page,
  host,
  setUpSchool,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 800, height: 600 });
  await setUpSchool();
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  // A school with something on every page: an upload with errors, courses, history.
  await dashboard.uploadNow('Moodle (main)').click();
  await expect(dashboard.partCard('Moodle (main)', 'Upload')).toContainText(/succeeded|could not be synced/, {
    timeout: 30_000,
  });
  await dashboard.readCourseListNow('Moodle (main)').click();
  await expect(dashboard.partCard('Moodle (main)', 'Course tracking')).toContainText('succeeded', { timeout: 30_000 });

  const origin = host.url.split('?')[0];
  for (const route of ['dashboard', 'courses', 'progress', 'results', 'errors', 'history', 'settings', 'setup']) {
    await page.goto(`${origin}#/${route}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText(/^Loading/)).toHaveCount(0);
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width, `${route} scrolls sideways`).toBeLessThanOrEqual(800);
    const text = await page.evaluate<string>('document.body.innerText');
    expect(text, `${route} shows backticks`).not.toContain('`');
    expect(text, `${route} shows a config key`).not.toMatch(/\b(settings|mapping)\.[a-z]+/);
  }
});

test('a download that read grades but matched no SMS student is a warning with the fix, never a green OK', async ({
  page,
  host,
  setUpSchool,
}) => {
  test.setTimeout(90_000);
  await setUpSchool();
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  // The site's own courses (made by hand, before ClassBridge) have students; nothing has been uploaded,
  // so none of them is linked to an SMS student yet.
  await dashboard.readCourseListNow('Moodle (main)').click();
  await expect(dashboard.partCard('Moodle (main)', 'Course tracking')).toContainText('succeeded', { timeout: 30_000 });
  expect(host.cli(['courses', 'open', '--all-new']).status).toBe(0);
  await dashboard.downloadNow('Moodle (main)').click();
  const results = dashboard.partCard('Moodle (main)', 'Results');
  await expect(results).toContainText('match nobody in the SMS', { timeout: 30_000 });
  await expect(results).toContainText('Run the upload first (it links the accounts)');
  await expect(results).not.toContainText('✓');
  await expect(results).toContainText('Needs attention');
});
