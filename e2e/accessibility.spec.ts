import AxeBuilder from '@axe-core/playwright';
import { ROUTES } from '../renderer/src/app/routes';
import { expect, test } from './fixtures/school-with-sim';
import { addSampleData } from './pages/school-data';

/** Impacts that fail the check; minor and moderate findings are attached to the report. */
const BLOCKING = new Set(['serious', 'critical']);

test('every page passes axe-core with no serious or critical violation, with a school and data present', async ({
  page,
  host,
  sims,
  setUpSchool,
}, testInfo) => {
  test.setTimeout(90_000);
  const { school } = await setUpSchool({ seed: 41 });
  // Data on every page: results, runs (one partial, with a sync error) and a reconcile's repairs.
  await addSampleData(host, sims[0]!, school);

  // The routes are read from the app itself, so a page someone adds is checked too.
  expect(ROUTES.length).toBeGreaterThan(0);
  await page.goto(host.url);
  for (const route of ROUTES) {
    await test.step(`#/${route.id}`, async () => {
      await page.goto(`${new URL(host.url).origin}/#/${route.id}`);
      await expect(page).toHaveTitle(`${route.label} — ClassBridge`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.locator('.loading')).toHaveCount(0);
      const results = await new AxeBuilder({ page }).analyze();
      await testInfo.attach(`axe ${route.id}`, {
        body: JSON.stringify(results.violations, null, 2),
        contentType: 'application/json',
      });
      const blocking = results.violations
        .filter((v) => BLOCKING.has(v.impact ?? ''))
        .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect.soft(blocking, `axe violations on #/${route.id}`).toEqual([]);
    });
  }
});
