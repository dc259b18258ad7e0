import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../renderer/src/app/routes';
import { expect, test } from './fixtures/school-with-sim';
import { addSampleData } from './pages/school-data';

const OUT_DIR = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

/**
 * Regenerates docs/screenshots/<route>.png (the first screenful) for every page, with a school and data present. Not a test:
 * it only runs from `npm run screenshots` (scripts/screenshots.mjs sets CLASSBRIDGE_SCREENSHOTS=1).
 */
test('@screenshots every page, with a school and data', async ({ page, host, sims, setUpSchool }) => {
  test.skip(process.env.CLASSBRIDGE_SCREENSHOTS !== '1', 'run with `npm run screenshots`');
  test.setTimeout(120_000);
  const { school } = await setUpSchool({ seed: 2024 });
  await addSampleData(host, sims[0]!, school);
  mkdirSync(OUT_DIR, { recursive: true });

  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(host.url);
  for (const route of ROUTES) {
    await page.goto(`${new URL(host.url).origin}/#/${route.id}`);
    await expect(page).toHaveTitle(`${route.label} — ClassBridge`);
    await expect(page.locator('.loading')).toHaveCount(0);
    // Let late queries (settings, connections) settle so every picture is complete.
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${OUT_DIR}${route.id}.png`, fullPage: false, animations: 'disabled' });
  }
});
