import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { combinedCsv } from '../adapters/testing/sms-fixtures/csv';
import { CoursesPage } from './pages/courses-page';
import { DashboardPage } from './pages/dashboard-page';
import { ErrorsPage } from './pages/errors-page';
import { SCHOOL_CONFIG } from '../electron/test-support/school-config';
// The school fixture extends the plain host one; its simulated Moodles start only in tests that ask for them.
import { expect, test } from './fixtures/school-with-sim';

const LMS = 'Moodle (main)';

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

test('Upload now runs the upload: the button waits with its reason, the page stays usable, the card shows the counts', async ({
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
  const enrolments = dashboard.partCard(LMS, 'Upload');
  await expect(enrolments).toContainText('Has not run yet.');
  await expect(enrolments).toContainText('Paused: runs only when you start it');

  // A slow site keeps the run going long enough to see it under way.
  sims[0]!.setLatency({ perRequestMs: 2_000, perItemMs: 0 });
  await upload.click();
  await expect(upload).toBeDisabled();
  await expect(dashboard.lmsCard(LMS)).toContainText(
    'An upload is running now; Upload now comes back when it finishes.',
  );
  await expect(dashboard.lmsCard(LMS).getByTestId('run-progress')).toContainText(`Upload with ${LMS} is running`);
  // The engine's live counts (operations ended of those planned) drive a real progress bar.
  const progress = dashboard.lmsCard(LMS).getByRole('progressbar', { name: 'Upload progress' });
  await expect(progress).toBeVisible({ timeout: 20_000 });
  await expect(dashboard.lmsCard(LMS).getByTestId('run-progress')).toContainText(/[\d,]+ of [\d,]+ changes done/);
  // No freeze: another page opens while the upload runs, and coming back still shows it under way.
  await dashboard.shell.clickNav('Courses');
  await dashboard.shell.clickNav('Dashboard');
  await expect(upload).toBeDisabled();
  sims[0]!.setLatency({ perRequestMs: 0, perItemMs: 0 });

  await expect(upload).toBeEnabled({ timeout: 45_000 });
  await expect(dashboard.lmsCard(LMS).getByRole('status').first()).toContainText(
    /Upload finished.*: Upload: \d+ created/,
  );
  await expect(enrolments).toContainText(/succeeded \(started by hand\)/);
  // The upload is one part: no Profiles, Courses or Enrolments card is left to say "never run".
  await expect(dashboard.lmsCard(LMS).getByRole('heading', { name: /^(Profiles|Courses|Enrolments)$/ })).toHaveCount(0);
  await expect(enrolments.getByRole('list', { name: 'Counts of the last Upload run' })).toContainText(/\d+ created/);
  await expect(enrolments.getByRole('status')).toHaveCount(0);
  await expect(enrolments).toContainText(/last run finished just now/);
  // Dates read in the school's zone and English (Pacific/Auckland, en-NZ), whatever the browser's.
  const finishedAt = await enrolments.locator('time').first().getAttribute('datetime');
  const expected = new Intl.DateTimeFormat('en-NZ', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Pacific/Auckland',
  }).format(new Date(finishedAt!));
  await expect(enrolments.locator('time').first()).toHaveText(expected);
  const usernames = new Set([...sims[0]!.state.users.values()].map((u) => u.username));
  for (const student of school.students) expect(usernames, student.username).toContain(student.username);
});

test('a held plan shows a banner; Review names the removals, and Approve applies them in the LMS', async ({
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

  // The next export has lost half the students: far past the safety limit.
  const kept = school.students.slice(0, Math.ceil(school.students.length / 2));
  const removed = school.students.slice(kept.length);
  const truncated = path.join(host.dataDir, 'students-truncated.csv');
  writeFileSync(truncated, combinedCsv({ ...school, students: kept }));
  const imported = host.cli(['import', '--provider', 'csv', truncated]);
  expect(imported.status, imported.stderr).toBe(0);

  await upload.click();
  const banner = dashboard.heldPlanBanner(LMS);
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('Nothing has been removed yet.');
  await expect(dashboard.partCard(LMS, 'Upload')).toContainText('held for your approval');
  const review = banner.getByRole('button', { name: 'Review' });
  await expect(review).toHaveAttribute('aria-expanded', 'false');
  // By keyboard: the review opens and takes the focus to its heading.
  await review.focus();
  await page.keyboard.press('Enter');
  await expect(review).toHaveAttribute('aria-expanded', 'true');
  await expect(banner.getByRole('heading', { level: 3, name: /^Review: \d+ removals$/ })).toBeFocused();
  await expect(banner.getByRole('list', { name: 'Removals by kind' })).toContainText(
    `${removed.length} accounts suspended`,
  );
  const byName = banner.getByRole('list', { name: 'Removals by name' });
  for (const student of removed.slice(0, 3)) await expect(byName).toContainText(`(${student.username})`);
  for (const student of kept.slice(0, 3)) await expect(byName).not.toContainText(`(${student.username})`);

  await banner.getByRole('button', { name: 'Approve and upload' }).click();
  await expect(page.getByText('Approved and uploaded.')).toBeVisible({ timeout: 30_000 });
  await expect(banner).toHaveCount(0);
  await expect(upload).toBeEnabled();

  const simUsers = [...sims[0]!.state.users.values()];
  for (const student of removed) {
    expect(simUsers.find((u) => u.username === student.username)?.suspended, student.username).toBe(true);
  }
  for (const student of kept) {
    expect(simUsers.find((u) => u.username === student.username)?.suspended, student.username).toBe(false);
  }
});

test('a connection problem shows a banner with the diagnosis and the fix', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  await setUpSchool();
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  await expect(dashboard.connectionProblem(LMS)).toHaveCount(0);

  sims[0]!.deleteToken(sims[0]!.token);
  await dashboard.uploadNow(LMS).click();

  const banner = dashboard.connectionProblem(LMS);
  await expect(banner).toBeVisible({ timeout: 30_000 });
  // The engine's words (schedule/diagnose.ts), shown as they are.
  await expect(banner).toContainText(`ClassBridge's key to ${LMS} (its web-service token) no longer works`);
  await expect(banner.getByRole('heading', { name: 'What to do' })).toBeVisible();
  await expect(banner).toContainText('create a new token for the ClassBridge service');
  await expect(dashboard.partCard(LMS, 'Upload')).toContainText('Needs attention');
  await expect(dashboard.partCard(LMS, 'Upload')).toContainText('failed (started by hand)');
  await expect(dashboard.lmsCard(LMS).getByRole('status').first()).toContainText('Upload failed');
  await expect(dashboard.uploadNow(LMS)).toBeEnabled();
});
