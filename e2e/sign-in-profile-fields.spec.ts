import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startMoodleSim } from '../adapters/testing/moodle-sim';
import { generateSchool, oneRosterFiles, zipBytes } from '../adapters/testing/sms-fixtures';
import { expect, test } from './fixtures/school-with-sim';
import { SetupPage } from './pages/setup-page';

/**
 * The mapping step's sign-in method and profile-field editor (issue 15, items 2 and 3): chosen in the
 * wizard, checked there, shown by the dry run on the school's own first people, and sent by Apply.
 */
test('sign-in method and profile fields: chosen, validated, previewed and uploaded', async ({ page, host, sims }) => {
  test.setTimeout(75_000);
  sims.push(await startMoodleSim());
  const sim = sims[0]!;
  sim.state.site.profileFields = [{ shortname: 'yeargroup', name: 'Year group', datatype: 'text' }];
  // One existing account has a value in it: the only way the wizard can learn the field exists.
  sim.state.users.get(7)!.customfields = { yeargroup: '10' };
  const school = generateSchool({ seed: 5 });
  const zip = path.join(host.dataDir, 'oneroster.zip');
  await writeFile(zip, zipBytes(oneRosterFiles(school)));
  const setup = new SetupPage(page);
  await setup.openFromDashboard(host.url);

  await setup.chooseSms('OneRoster SIS');
  await setup.fill('OneRoster export', zip);
  await setup.next('Step 2 of 6: LMS');
  await setup.fillLms('LMS 1', { name: 'Moodle', url: sim.url, token: sim.token });
  await setup.next('Step 3 of 6: Mapping');
  await setup.fillMapping({ category: '1', studentRoleId: '5', teacherRoleId: '3' });

  await page.getByRole('button', { name: 'Read the site’s accounts' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'existing accounts read' })).toContainText(
    /manual \(\d+\).*custom profile fields in use: yeargroup/,
  );
  await setup.field('New accounts sign in with').selectOption({ label: 'OAuth 2 (Microsoft 365 / Google sign-in)' });
  await expect(setup.field('Moodle emails each new person a password')).toHaveCount(0);

  await page.getByRole('button', { name: 'Add a profile field' }).click();
  await setup.fill('From the SMS field', 'grades');
  // A custom field needs its short name: the wizard says so on the field.
  await setup.field('Its short name').focus();
  await setup.field('Its short name').blur();
  await setup.expectFieldError('Its short name', /is not a Moodle user field/);
  await setup.fill('Its short name', 'yeargroup');
  await setup.expectNoFieldError('Its short name');

  await page.getByRole('button', { name: 'Add a profile field' }).click();
  await setup.field('LMS field 2').selectOption('department');
  await setup.field('From the SMS field').nth(1).fill('grades');

  await setup.next('Step 4 of 6: Export and schedule');
  await setup.next('Step 5 of 6: Review and save');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await setup.expectStep('Step 6 of 6: First upload');
  const dryRun = setup.dryRun('Moodle');
  await expect(dryRun.locator('.setup-summary')).toHaveText(/^Will create \d+ users/, { timeout: 20_000 });
  await expect(dryRun).toContainText('New accounts sign in with: oauth2');
  await expect(dryRun.getByRole('list', { name: 'Profile fields of the first people' })).toContainText(
    /profile_field_yeargroup: \d+, department: \d+/,
  );

  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status', { name: 'First upload' })).toContainText('Moodle: uploaded', {
    timeout: 30_000,
  });
  const student = school.students.find((s) => s.yearLevel > 0)!;
  const user = [...sim.state.users.values()].find((u) => u.idnumber === student.id);
  const grade = String(student.yearLevel).padStart(2, '0');
  expect(user).toMatchObject({ auth: 'oauth2', department: grade, customfields: { yeargroup: grade } });
});
