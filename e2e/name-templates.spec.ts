import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startMoodleSim } from '../adapters/testing/moodle-sim';
import { generateSchool, oneRosterFiles, zipBytes } from '../adapters/testing/sms-fixtures';
import { foldDiacritics } from '../electron/core/model';
import { expect, test } from './fixtures/school-with-sim';
import { SetupPage } from './pages/setup-page';

/**
 * The mapping step's name templates (issue 15, item 1): typed in the wizard with a live example,
 * checked there, shown by the dry run on the school's own first people, and used by Apply.
 */
test('username and email templates: validated, previewed live and on the real records, uploaded', async ({
  page,
  host,
  sims,
}) => {
  test.setTimeout(75_000);
  sims.push(await startMoodleSim());
  const sim = sims[0]!;
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

  // A typo is an error on the field, naming what is wrong.
  await setup.fill('Username template (optional)', '{first}.{last|shout}');
  await setup.field('Username template (optional)').blur();
  await setup.expectFieldError('Username template (optional)', /Unknown modifier "shout" in \{last\}/);
  await setup.fill('Username template (optional)', '{first|alnum}.{last|alnum}{n}');
  await setup.expectNoFieldError('Username template (optional)');
  await setup.fill('Email template (optional)', '{first|alnum}.{last|alnum}{n}@students.school.nz');
  // The live example follows the template (made-up people: the mapping step has no SMS records yet).
  const example = page.getByRole('region', { name: /Preview: three example people/ });
  await expect(example).toContainText('liam.obrien');
  await expect(example).toContainText('liam.obrien@students.school.nz');

  await setup.next('Step 4 of 6: Export and schedule');
  await setup.next('Step 5 of 6: Review and save');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await setup.expectStep('Step 6 of 6: First upload');
  const dryRun = setup.dryRun('Moodle');
  await expect(dryRun.locator('.setup-summary')).toHaveText(/^Will create \d+ users/, { timeout: 20_000 });
  await expect(dryRun).toContainText('Names from the templates (first records)');
  await expect(dryRun).toContainText(
    /username [a-z0-9]+\.[a-z0-9]+\d*, email [a-z0-9]+\.[a-z0-9]+\d*@students\.school\.nz/,
  );

  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status', { name: 'First upload' })).toContainText('Moodle: uploaded', {
    timeout: 30_000,
  });
  const clean = (s: string) =>
    foldDiacritics(s)
      .replace(/[^\p{L}\p{N}]/gu, '')
      .toLowerCase();
  for (const student of school.students.filter((s) => s.active).slice(0, 5)) {
    const base = `${clean(student.givenName)}.${clean(student.familyName)}`;
    const user = [...sim.state.users.values()].find((u) => u.idnumber === student.id);
    expect(user?.username).toMatch(new RegExp(`^${base.replace('.', '\\.')}\\d*$`));
    expect(user?.email).toBe(`${user?.username}@students.school.nz`);
  }
});
