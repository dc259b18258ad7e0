import { expect, test } from './fixtures/school-with-sim';
import { ErrorsPage } from './pages/errors-page';
import { apiFor, importSchool, runNow, withClashingEmail } from './pages/school-data';

test('a refused record shows with its fix, filters by part and connection, exports, and Retry resolves it', async ({
  page,
  host,
  setUpSchool,
}) => {
  const { school } = await setUpSchool({ seed: 21, lmsCount: 2 });
  const clashing = withClashingEmail(school);
  importSchool(host, clashing.school);
  const errors = new ErrorsPage(page);
  await errors.open(host.url);
  await expect(errors.emptyState).toBeVisible();

  const api = apiFor(host);
  await runNow(api, 'upload');
  // The page hears the run finish and shows the error without a reload.
  const row = errors.row(clashing.studentId);
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await expect(row).toContainText('Upload');
  // Found at look-up, before Moodle's vague "Invalid parameter value detected": the cause and the fix.
  await expect(row).toContainText('is already used by another LMS account');
  await expect(row).toContainText('Give this person their own email address in the SMS');
  await expect(row.getByRole('button', { name: `Retry person ${clashing.studentId}` })).toBeVisible();

  await errors.partFilter.selectOption({ label: 'Results' });
  await expect(page.getByRole('heading', { name: 'No sync errors in Results.' })).toBeVisible();
  await errors.partFilter.selectOption({ label: 'Upload' });
  await expect(row).toHaveCount(1);
  await errors.connectionFilter.selectOption({ label: 'Moodle 2' });
  await expect(page.getByRole('heading', { name: 'No sync errors in Upload for Moodle 2.' })).toBeVisible();
  await errors.connectionFilter.selectOption({ label: 'Moodle (main)' });
  await expect(row).toHaveCount(1);

  const { download, text } = await errors.exportCsv();
  expect(download.suggestedFilename()).toMatch(/^classbridge-errors-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = text.trim().split('\r\n');
  expect(lines[0]).toBe('When,Part,Connection,Record kind,Record,Course,LMS message,What to do,Resolved');
  expect(lines.slice(1).join('\n')).toContain(clashing.studentId);

  // The admin fixes the email in the SMS; the next export arrives; Retry sends that one record.
  importSchool(host, school);
  await row.getByRole('button', { name: /^Retry/ }).click();
  await expect(errors.outcome).toContainText(
    `Retried person ${clashing.studentId}: it synced, and the error is resolved.`,
    {
      timeout: 15_000,
    },
  );
  await expect(row).toHaveCount(0);
  await errors.showResolved.check();
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Resolved');
});

test('a connection error says why it cannot be retried alone and offers the part’s run-now', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  await setUpSchool({ seed: 22 });
  // The token in the keychain is wrong: reading the course list fails as a whole, not one record.
  expect(host.cli(['secret', 'set', 'moodle-main', 'token'], 'not-the-right-token').status).toBe(0);
  const api = apiFor(host);
  const tracking = await runNow(api, 'course-tracking');
  expect(tracking.outcome).toBe('failed');

  const errors = new ErrorsPage(page);
  await errors.open(host.url);
  const row = errors.row('moodle-main');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('can’t be retried alone');
  await expect(row.getByRole('button', { name: /^Retry/ })).toHaveCount(0);

  expect(host.cli(['secret', 'set', 'moodle-main', 'token'], sims[0]!.token).status).toBe(0);
  await row.getByRole('button', { name: 'Refresh course list for Moodle (main)' }).click();
  await expect(errors.outcome).toContainText('Moodle (main): 3 courses in the LMS', { timeout: 15_000 });
  await expect(errors.outcome.locator('.notice-ok')).toBeVisible();
});
