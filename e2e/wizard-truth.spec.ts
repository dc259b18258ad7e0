import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startMoodleSim } from '../adapters/testing/moodle-sim';
import {
  avetmissFiles,
  combinedCsv,
  generateSchool,
  oneRosterFiles,
  writeAvetmissFolder,
  zipBytes,
} from '../adapters/testing/sms-fixtures';
import { expect, test } from './fixtures/school-with-sim';
import { DashboardPage } from './pages/dashboard-page';
import { HistoryPage } from './pages/history-page';
import { SetupPage } from './pages/setup-page';

// Issue 18 items 2 and 6: the setup wizard reads the source it was given, and saving starts cleanly.

test('switching KAMAR → VETtrak keeps the username choice made; Save runs nothing before its token; Apply resumes syncing', async ({
  page,
  host,
  sims,
}) => {
  test.setTimeout(90_000);
  sims.push(await startMoodleSim());
  const sim = sims[0]!;
  const school = generateSchool({ seed: 3, country: 'au' });
  const folder = path.join(host.dataDir, 'nat-export');
  const setup = new SetupPage(page);
  await setup.openFromDashboard(host.url);

  // An answer the admin never set follows the provider, and the SMS step says so.
  await setup.chooseSms('KAMAR');
  await setup.chooseSms('VETtrak');
  await expect(page.getByTestId('provider-defaults')).toContainText('LMS 1: usernames from the email address');
  await setup.chooseSms('KAMAR');
  await expect(page.getByTestId('provider-defaults')).toContainText('LMS 1: usernames from the SMS username');

  // An answer the admin set is theirs: switching provider keeps it, and says the new SMS cannot serve it.
  await setup.next('Step 2 of 6: LMS');
  await setup.fillLms('LMS 1', { name: 'RTO Moodle', url: sim.url, token: sim.token });
  await setup.next('Step 3 of 6: Mapping');
  await page.getByLabel('LMS username from').selectOption({ label: 'The SMS id (student or staff number)' });
  await page.getByLabel('LMS username from').selectOption({ label: 'The SMS username' });
  await page.getByRole('button', { name: 'Step 1, done: SMS' }).click();
  await setup.expectStep('Step 1 of 6: SMS');
  await setup.chooseSms('VETtrak');
  await expect(page.getByTestId('provider-defaults')).toContainText(
    "Your mapping choice is kept for RTO Moodle, but VETtrak's export has no usernames",
  );
  await setup.fill('Export folder', folder);
  await setup.next('Step 2 of 6: LMS');
  await setup.next('Step 3 of 6: Mapping');
  await expect(page.getByLabel('LMS username from')).toHaveValue('sms-username');
  await setup.continueButton.click();
  await setup.expectFieldError('LMS username from', "VETtrak's AVETMISS export has no usernames");
  await page.getByLabel('LMS username from').selectOption({ label: 'The email address' });
  await setup.fillMapping({ category: '1', studentRoleId: '5', teacherRoleId: '3' });
  await setup.next('Step 4 of 6: Export and schedule');
  await setup.next('Step 5 of 6: Review and save');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await setup.expectStep('Step 6 of 6: First upload');
  await expect(page.getByTestId('source-waiting')).toContainText('ClassBridge reads the export at');

  // The export arrives; the dry run appears; Apply uploads and resumes syncing, as the wizard said.
  await writeAvetmissFolder(folder, avetmissFiles(school));
  await expect(setup.dryRun('RTO Moodle').locator('.setup-summary')).toHaveText(/^Will create \d+ users/, {
    timeout: 30_000,
  });
  await page.getByRole('button', { name: 'Apply' }).click();
  const applied = page.getByRole('status', { name: 'First upload' });
  await expect(applied).toContainText('RTO Moodle: uploaded', { timeout: 30_000 });
  await expect(page.getByTestId('syncing-after-apply')).toHaveText(/^Syncing is on/);
  expect(sim.state.users.size).toBeGreaterThan(school.students.length);

  // Not one run failed for want of the token (today three did, right after Save).
  const history = new HistoryPage(page);
  await history.open(host.url);
  await expect(history.runRows.first()).toBeVisible();
  await expect(page.getByText(/No web-service token is stored/)).toHaveCount(0);
  await expect(history.runRows.filter({ hasText: /failed/i })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Pause syncing' })).toBeVisible();
});

test('a new export source is read at once after Setup switches to it: never the old SMS in the preview, its refusal shown; a paused sync is asked about', async ({
  page,
  host,
  sims,
}) => {
  test.setTimeout(120_000);
  sims.push(await startMoodleSim());
  const sim = sims[0]!;
  // Both exports exist before the first import: the CSV file is older than the data ClassBridge holds.
  const csv = path.join(host.dataDir, 'students.csv');
  await writeFile(csv, 'first_name,last_name,email\nAroha,Ngata,aroha@example.school.nz\n');
  const zip = path.join(host.dataDir, 'oneroster.zip');
  await writeFile(zip, zipBytes(oneRosterFiles(generateSchool({ seed: 5 }))));
  const setup = new SetupPage(page);
  await setup.openFromDashboard(host.url);

  await setup.chooseSms('OneRoster SIS');
  await setup.fill('OneRoster export', zip);
  await setup.next('Step 2 of 6: LMS');
  await setup.fillLms('LMS 1', { name: 'Moodle', url: sim.url, token: sim.token });
  await setup.next('Step 3 of 6: Mapping');
  await page.getByLabel('LMS username from').selectOption({ label: 'The SMS id (student or staff number)' });
  await setup.fillMapping({ category: '1', studentRoleId: '5', teacherRoleId: '3' });
  await setup.next('Step 4 of 6: Export and schedule');
  await setup.next('Step 5 of 6: Review and save');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(setup.dryRun('Moodle').locator('.setup-summary')).toHaveText(/^Will create \d+ users/, {
    timeout: 20_000,
  });
  await expect(page.getByText(/^SMS data: OneRoster/)).toBeVisible();
  await page.getByRole('button', { name: 'Not now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  // Setup again, from Settings: the school now exports CSV files. The username choice stays the admin's.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('link', { name: 'setup wizard' }).click();
  await setup.expectOpen();
  await setup.chooseSms('CSV files');
  await expect(page.getByTestId('provider-defaults')).toHaveCount(0);
  const csvField = page.getByRole('textbox', { name: 'CSV file' });
  await csvField.fill(csv);
  await csvField.blur();
  await setup.next('Step 2 of 6: LMS');
  await setup.next('Step 3 of 6: Mapping');
  await expect(page.getByLabel('LMS username from')).toHaveValue('sms-id');
  await setup.next('Step 4 of 6: Export and schedule');
  await setup.next('Step 5 of 6: Review and save');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await setup.expectStep('Step 6 of 6: First upload');

  // The old SMS's data is never previewed; the new file is read at once and its refusal shown with the reason.
  await expect(page.getByText(/^SMS data: OneRoster/)).toHaveCount(0);
  await expect(setup.dryRun('Moodle')).toHaveCount(0);
  const refused = page.getByTestId('source-refused');
  await expect(refused).toContainText('students.csv', { timeout: 20_000 });
  await expect(refused).toContainText(/could not be read/);
  await expect(page.getByText(/^SMS data: OneRoster/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Apply' })).toBeDisabled();

  // The school corrects its export: it is read, and the preview is of the new SMS.
  const school = generateSchool({ seed: 9 });
  await writeFile(csv, combinedCsv(school));
  await expect(page.getByText(/^SMS data: CSV files export students\.csv/)).toBeVisible({ timeout: 20_000 });
  await expect(setup.dryRun('Moodle').locator('.setup-summary')).toHaveText(/^Will create \d+ users/, {
    timeout: 20_000,
  });

  // Syncing was left paused by Not now: after Apply the wizard says so and asks, rather than leave it silently.
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status', { name: 'First upload' })).toContainText('Moodle:', { timeout: 30_000 });
  const syncing = page.getByTestId('syncing-after-apply');
  await expect(syncing).toContainText('Syncing is still paused');
  await syncing.getByRole('button', { name: 'Resume syncing' }).click();
  await expect(syncing).toHaveText(/^Syncing is on/);
});

test('an LMS saved without its token waits for it, not a failed run; the token starts it', async ({
  page,
  host,
  sims,
}) => {
  test.setTimeout(60_000);
  sims.push(await startMoodleSim());
  const sim = sims[0]!;
  // Syncing on, and the LMS saved a moment before its token (as Save does, or a config import).
  const config = {
    format: 'classbridge-config',
    version: 1,
    settings: { timeZone: 'Pacific/Auckland', paused: false, useSms: false },
    connections: [
      {
        id: 'moodle-main',
        kind: 'lms',
        provider: 'moodle',
        name: 'Moodle (main)',
        url: sim.url,
        mapping: { newCourseCategoryId: 1, roleIds: { student: 5, editingteacher: 3 } },
      },
    ],
  };
  const file = path.join(host.dataDir, 'config.json');
  await writeFile(file, JSON.stringify(config));
  expect(host.cli(['config', 'import', file]).status).toBe(0);

  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  await expect(dashboard.partCard('Moodle (main)', 'Course tracking')).toContainText(
    'Waiting for the web-service token',
  );
  const history = new HistoryPage(page);
  await history.open(host.url);
  await expect(history.emptyState).toBeVisible();

  // The token is stored: the parts join the schedule and run.
  expect(host.cli(['secret', 'set', 'moodle-main', 'token'], sim.token).status).toBe(0);
  await dashboard.open(host.url);
  await expect(dashboard.partCard('Moodle (main)', 'Course tracking')).toContainText(/succeeded|OK|courses/i, {
    timeout: 30_000,
  });
  await expect(page.getByText('Waiting for the web-service token')).toHaveCount(0);
});
