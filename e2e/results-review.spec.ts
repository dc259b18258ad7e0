import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures/school-with-sim';
import { apiFor, syncWithResults } from './pages/school-data';

const csvLines = (text: string): string[] =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');

test('Results: a connection that delivers after review keeps the batch pending; the admin accepts some, holds one, exports, accepts all and delivers', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  const { school } = await setUpSchool({ seed: 11 });
  const api = apiFor(host);
  // The admin sets the LMS connection to deliver results only after review (mapping.results.delivery).
  await page.goto(`${host.url}#/results`);
  await expect(page.getByRole('heading', { level: 1, name: 'Results' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No result waits for a person.' })).toBeVisible();
  const settings = page.getByRole('form', { name: 'Results delivery for Moodle (main)' });
  await settings.getByRole('combobox', { name: /Delivery to the SMS/ }).selectOption('review');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByRole('status')).toContainText('changed results wait here until they are accepted');
  const saved = (await api('connections:list', {})).find((c) => c.id === 'moodle-main');
  expect(saved?.kind === 'lms' && saved.mapping.results).toEqual({ delivery: 'review', reviewMargin: 0.5 });

  await syncWithResults(api, sims[0]!, school);
  const pending = await api('results:pending', {});
  expect(pending.length).toBeGreaterThan(5);
  expect(new Set(pending.map((r) => r.reason))).toEqual(new Set(['review']));
  const runs = await api('runs:list', { part: 'results' });
  expect(runs[0]?.message).toContain(`${pending.length} results wait on the Results page`);
  // Nothing reached the SMS's results file yet.
  const resultsCsv = path.join(host.dataDir, 'results', 'moodle-main', 'results.csv');
  const rowsInFile = (): number => {
    try {
      return csvLines(readFileSync(resultsCsv, 'utf8')).length - 1;
    } catch {
      return 0;
    }
  };
  expect(rowsInFile()).toBe(0);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Results' })).toBeVisible();
  const rows = page.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(pending.length, { timeout: 15_000 });
  // Each row says what the SMS has, what would be written and why.
  const sample = pending[0]!;
  const sampleRow = rows.filter({ hasText: sample.personSmsId }).filter({ hasText: sample.course });
  await expect(sampleRow).toContainText(sample.detail.why);
  if (sample.newValue) await expect(sampleRow).toContainText(sample.newValue);

  // The filled page passes axe-core (the accessibility spec sees it empty).
  const axe = await new AxeBuilder({ page }).analyze();
  const blocking = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // Accept two.
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Accept selected' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 results accepted' })).toBeVisible();
  await expect(rows).toHaveCount(pending.length - 2);

  // Hold one: it stays on the page as Held.
  await rows.nth(0).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Hold selected' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 result held' })).toBeVisible();
  await expect(rows.filter({ hasText: 'Held' })).toHaveCount(1);

  // The export is what is shown.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^classbridge-results-review-\d{4}-\d{2}-\d{2}\.csv$/);
  const exported = csvLines(readFileSync(await download.path(), 'utf8'));
  expect(exported[0]).toContain(
    'Student,SMS person id,Course,SMS course,Reason,State,SMS now,Last delivered,New value',
  );
  expect(exported).toHaveLength(pending.length - 2 + 1);

  // Accept all (the held one too), then deliver now: the whole batch reaches the SMS's results file.
  await page.getByRole('button', { name: /^Accept all/ }).click();
  await expect(page.getByRole('status').filter({ hasText: `${pending.length - 2} results accepted` })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No result waits for a person.' })).toBeVisible();
  await page.getByRole('button', { name: 'Deliver now' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${pending.length} delivered` })).toBeVisible({
    timeout: 30_000,
  });
  expect(rowsInFile()).toBe(pending.length);
  expect(await api('results:pending', {})).toEqual([]);
});
