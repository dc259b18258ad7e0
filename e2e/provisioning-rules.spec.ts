import AxeBuilder from '@axe-core/playwright';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures/school-with-sim';
import { SetupPage } from './pages/setup-page';

/**
 * Issue 15: every provisioning rule is edited per LMS connection on the Settings page and in the wizard's
 * mapping step, with a preview on the school's first real records (the last imported export) before
 * saving: the dry run with the unsaved rules. Saved, the rule is in the configuration.
 */
test('Settings → Provisioning rules: every rule edited, previewed on the real records, saved, reloaded', async ({
  page,
  host,
  setUpSchool,
}) => {
  test.setTimeout(60_000);
  await setUpSchool();
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  const rules = page.getByRole('form', { name: 'Provisioning rules for Moodle (main)' });
  await rules.getByRole('button', { name: 'Preview on your records' }).click();
  const preview = rules.getByRole('status', { name: 'Rules on your records' });
  await expect(preview).toContainText(/Will create \d+ users/, { timeout: 20_000 });
  // No category rule yet: the engine shows no categories part.
  await expect(preview.getByRole('region', { name: 'Categories of new courses' })).toHaveCount(0);

  const categories = rules.getByRole('region', { name: 'Course categories' });
  await categories.getByRole('button', { name: 'Add a category rule' }).click();
  const rule = categories.getByRole('group', { name: 'Rule 1' });
  await rule.getByLabel('Test').selectOption({ label: 'matches the pattern' });
  // An error from the schema, on its field, before anything is saved.
  await rule.getByLabel('Pattern').fill('(');
  await rule.getByLabel('Pattern').blur();
  await expect(rule.getByLabel('Pattern')).toHaveAccessibleDescription(/is not a valid regular expression/);
  await expect(preview).toHaveCount(0);
  await expect(rules.getByRole('status').filter({ hasText: 'Fix these first' })).toBeVisible();

  await rule.getByLabel('Pattern').fill('.');
  // The category by name: the site lists its categories (the simulator's seed: 3 is Humanities).
  await categories.getByRole('button', { name: 'Read the site’s categories' }).click();
  await rule.getByRole('combobox', { name: 'Put it in category' }).selectOption({ label: 'Humanities' });
  const shown = preview.getByRole('region', { name: 'Categories of new courses' });
  await expect(shown).toContainText('category 3 (rule 1: course code matches the pattern .)', { timeout: 20_000 });

  const lifecycle = rules.getByRole('region', { name: 'Term lifecycle' });
  await lifecycle.getByLabel('Close it: no more enrolment changes or results are synced').check();
  await lifecycle.getByLabel('Days to wait after the end date').fill('3');
  await expect(preview.getByRole('region', { name: 'Term lifecycle' })).toContainText('No course closes on this run.');

  // Cohorts, parents and course templates: each shows its part of the preview.
  const cohorts = rules.getByRole('region', { name: 'Cohorts', exact: true });
  await cohorts.getByRole('button', { name: 'Add a cohort rule' }).click();
  await cohorts.getByRole('group', { name: 'Cohort rule 1' }).getByLabel('Cohort name').fill('Year {value}');
  await expect(preview.getByRole('region', { name: 'Cohorts', exact: true })).toBeVisible({ timeout: 20_000 });
  const parents = rules.getByRole('region', { name: 'Parents and guardians' });
  await parents.getByLabel('Give parents and guardians an account that sees their children').check();
  await parents.getByLabel('The parent role’s id').focus();
  await parents.getByLabel('The parent role’s id').blur();
  await expect(parents.getByLabel('The parent role’s id')).toHaveAccessibleDescription(/Enter the parent role’s id/);
  await parents.getByLabel('The parent role’s id').fill('9');
  await expect(preview.getByRole('region', { name: 'Parents and guardians' })).toBeVisible({ timeout: 20_000 });
  const templates = rules.getByRole('region', { name: 'Courses made from a template' });
  await templates.getByRole('button', { name: 'Add a template rule' }).click();
  const templateRule = templates.getByRole('group', { name: 'Rule 1' });
  await templateRule.getByLabel('Test').selectOption({ label: 'matches the pattern' });
  await templateRule.getByLabel('Pattern').fill('.');
  await templateRule.getByLabel('Copy the template course id').fill('2');
  await expect(preview.getByRole('region', { name: 'Courses made from a template' })).toContainText(
    'copy of course 2',
    { timeout: 20_000 },
  );

  // Usable at 800×600: nothing scrolls sideways, and axe finds nothing serious in the editors and preview.
  await page.setViewportSize({ width: 800, height: 600 });
  const fits = 'document.documentElement.scrollWidth <= document.documentElement.clientWidth';
  expect(await page.evaluate<boolean>(fits)).toBe(true);
  const axe = await new AxeBuilder({ page }).include('form').analyze();
  expect(
    axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`),
  ).toEqual([]);

  // Nothing saved yet: the configuration has neither rule.
  const saved = () => {
    const out = host.cli(['config', 'export', '-']);
    if (out.status !== 0) throw new Error(out.stderr);
    return (
      JSON.parse(out.stdout) as {
        connections: { id: string; mapping?: Record<string, unknown> }[];
      }
    ).connections.find((c) => c.id === 'moodle-main')?.mapping;
  };
  expect(saved()?.courseCategories).toBeUndefined();

  await rules.getByRole('button', { name: 'Save the rules for Moodle (main)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved the rules for Moodle (main)' })).toBeVisible();
  await expect.poll(() => saved()?.courseCategories).toEqual([{ field: 'code', matches: '.', categoryId: 3 }]);
  expect(saved()?.lifecycle).toEqual({ endedCourses: 'close', closeAfterDays: 3 });
  expect(saved()?.cohorts).toEqual({ rules: [{ from: 'yearLevel', name: 'Year {value}', roles: ['student'] }] });
  expect(saved()?.parents).toEqual({ enabled: true, roleId: 9 });
  expect(saved()?.courseTemplates).toEqual([{ field: 'code', matches: '.', templateCourseId: 2 }]);
  // The rest of the mapping as it was.
  expect(saved()?.newCourseCategoryId).toBe(1);
  expect(saved()?.roleIds).toEqual({ student: 5, editingteacher: 3 });

  // The saved values reload.
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  const again = page.getByRole('form', { name: 'Provisioning rules for Moodle (main)' });
  const againCategories = again.getByRole('region', { name: 'Course categories' });
  await expect(againCategories.getByRole('group', { name: 'Rule 1' }).getByLabel('Pattern')).toHaveValue('.');
  await expect(again.getByLabel('Days to wait after the end date')).toHaveValue('3');

  // Removed and saved: gone from the configuration too.
  await againCategories.getByRole('button', { name: 'Remove rule 1' }).click();
  await again.getByRole('button', { name: 'Save the rules for Moodle (main)' }).click();
  await expect.poll(() => saved()?.courseCategories).toBeUndefined();
  expect(saved()?.courseTemplates).toEqual([{ field: 'code', matches: '.', templateCourseId: 2 }]);
});

test("the wizard's mapping step previews the unsaved rules on the school's records", async ({
  page,
  host,
  setUpSchool,
}) => {
  test.setTimeout(60_000);
  await setUpSchool();
  // The CSV export's path on the SMS connection, so the wizard's SMS step is complete as configured.
  const config = path.join(host.dataDir, 'sms-source.json');
  writeFileSync(
    config,
    JSON.stringify({
      format: 'classbridge-config',
      version: 1,
      // An import replaces the settings: still paused, so nothing uploads and the preview has courses to create.
      settings: { timeZone: 'Pacific/Auckland', paused: true },
      connections: [
        {
          id: 'csv',
          kind: 'sms',
          provider: 'csv',
          name: 'School CSV export',
          source: path.join(host.dataDir, 'students.csv'),
        },
      ],
    }),
  );
  expect(host.cli(['config', 'import', config]).status).toBe(0);
  await page.goto(host.url);
  const setup = new SetupPage(page);
  await setup.openByNav();
  await setup.next('Step 2 of 6: LMS');
  await setup.next('Step 3 of 6: Mapping');

  const panel = page.getByRole('region', { name: 'Preview on your records' });
  await panel.getByRole('button', { name: 'Preview on your records' }).click();
  const preview = panel.getByRole('status', { name: 'Rules on your records' });
  const people = preview.getByRole('region', { name: 'Usernames and emails' });
  await expect(preview).toContainText(/Will create \d+ users/, { timeout: 20_000 });
  await expect(people).toContainText(/ — username [^\s,]+/, { timeout: 20_000 });

  // An unsaved template: the preview follows it on the same real people.
  await setup.fill('Username template (optional)', 'x-{smsId}');
  await expect(people).toContainText(/ — username x-[^\s,]+/, { timeout: 20_000 });

  // A rule from "More rules" shows there too.
  await page.getByText('More rules: term dates, categories, cohorts, parents, course templates').click();
  const categories = page.getByRole('region', { name: 'Course categories' });
  await categories.getByRole('button', { name: 'Add a category rule' }).click();
  const rule = categories.getByRole('group', { name: 'Rule 1' });
  await rule.getByLabel('Test').selectOption({ label: 'matches the pattern' });
  await rule.getByLabel('Pattern').fill('.');
  await rule.getByLabel('Put it in category').fill('4');
  await expect(preview.getByRole('region', { name: 'Categories of new courses' })).toContainText('category 4', {
    timeout: 20_000,
  });

  // The mapping step with every editor open still fits 800×600 without sideways scrolling, and passes axe.
  await page.setViewportSize({ width: 800, height: 600 });
  const fits = 'document.documentElement.scrollWidth <= document.documentElement.clientWidth';
  expect(await page.evaluate<boolean>(fits)).toBe(true);
  const axe = await new AxeBuilder({ page }).include('main').analyze();
  expect(
    axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`),
  ).toEqual([]);
});
