import { writeFile } from 'node:fs/promises';
import { CoursesPage } from './pages/courses-page';
import { DashboardPage } from './pages/dashboard-page';
import { ErrorsPage } from './pages/errors-page';
import { SCHOOL_CONFIG } from '../electron/test-support/school-config';
import { expect, test } from './fixtures/headless-host';

test('a fresh install shows the set-up empty state and hides the token', async ({ page, host }) => {
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);

  await expect(dashboard.heading).toBeVisible();
  await expect(dashboard.notSetUp).toBeVisible();
  await expect(page.getByText('classbridge config import <file>')).toBeVisible();
  // The token authorises every call; it must not linger in the address bar, history or screenshots.
  expect(page.url()).not.toContain('token');
});

test('after `config import` a reload shows the LMS connection', async ({ page, host }, testInfo) => {
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await expect(dashboard.notSetUp).toBeVisible();

  const configFile = testInfo.outputPath('classbridge-config.json');
  await writeFile(configFile, JSON.stringify(SCHOOL_CONFIG, null, 2));
  const imported = host.cli(['config', 'import', configFile]);
  expect(imported.status, `config import failed:\n${imported.stdout}\n${imported.stderr}`).toBe(0);

  // The address bar no longer holds the token, so this also proves the page keeps it for a reload.
  await dashboard.reload();
  await expect(dashboard.lmsCard('Moodle (main)')).toBeVisible();
  await expect(dashboard.lmsCard('Moodle (main)')).toContainText('https://moodle.example.school.nz');
  await expect(page.getByText('KAMAR', { exact: true })).toBeVisible();
  await expect(dashboard.notSetUp).toHaveCount(0);
});

test('Courses and Errors show their empty states, by mouse and by keyboard', async ({ page, host }) => {
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);

  await dashboard.shell.clickNav('Courses');
  await expect(new CoursesPage(page).emptyState).toBeVisible();

  await dashboard.shell.pressNav('Errors');
  await expect(new ErrorsPage(page).emptyState).toBeVisible();
  // A keyboard user lands on the new page's heading, not back at the top of the document.
  await expect(dashboard.shell.pageHeading('Errors')).toBeFocused();

  await dashboard.shell.pressNav('Dashboard');
  await expect(dashboard.notSetUp).toBeVisible();
});

test('the host refuses the page without its token', async ({ page, host }) => {
  const origin = new URL(host.url).origin;

  const withoutToken = await page.goto(`${origin}/`);
  expect(withoutToken?.status()).toBe(401);

  const wrongToken = await page.goto(`${origin}/?token=not-the-token`);
  expect(wrongToken?.status()).toBe(401);
});

test('a change made from the command line appears without a reload, with what the KAMAR receiver needs', async ({
  page,
  host,
}) => {
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await expect(dashboard.notSetUp).toBeVisible();

  const configFile = `${host.dataDir}/school.json`;
  await writeFile(configFile, JSON.stringify(SCHOOL_CONFIG));
  expect(host.cli(['config', 'import', configFile]).status).toBe(0);

  // The engine notices the database changed, and the page refetches through the event stream.
  await expect(dashboard.lmsCard('Moodle (main)')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('The receiver is not running: No secret yet')).toBeVisible();
});
