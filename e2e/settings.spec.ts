import { expect, test } from './fixtures/headless-host';

test('Start at login is a setting the admin can turn off and on again', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  const toggle = page.getByRole('checkbox', { name: 'Start ClassBridge in the tray when I log in' });
  await expect(toggle).toBeChecked();

  await toggle.uncheck();
  await expect(toggle).not.toBeChecked();
  // Saved in the engine, not only on the page: the command line sees it too.
  await expect.poll(() => JSON.parse(host.cli(['config', 'export', '-']).stdout).settings.startAtLogin).toBe(false);
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(toggle).not.toBeChecked();

  await toggle.check();
  await expect.poll(() => JSON.parse(host.cli(['config', 'export', '-']).stdout).settings.startAtLogin).toBe(true);
});
