import { writeFileSync } from 'node:fs';
import path from 'node:path';
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

test('Settings → Database backs up now and restores a backup while the app runs', async ({ page, host }) => {
  // Something to lose: a connection saved before the backup, another after it.
  const config = (ids: string[]) => {
    const file = path.join(host.dataDir, `config-${ids.length}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        format: 'classbridge-config',
        version: 1,
        connections: ids.map((id) => ({
          id,
          kind: 'lms',
          provider: 'moodle',
          name: `Moodle ${id}`,
          url: 'https://lms.example.invalid',
        })),
      }),
    );
    return file;
  };
  expect(host.cli(['config', 'import', config(['before'])]).status).toBe(0);
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  const database = page.getByRole('region', { name: 'Database' });
  await expect(database.getByText('No backup yet')).toBeVisible();
  await database.getByRole('button', { name: 'Back up now' }).click();
  await expect(database.getByRole('status')).toContainText('Saved');
  const backups = database.getByRole('table', { name: 'Database backups' });
  await expect(backups.getByRole('row')).toHaveCount(2);

  expect(host.cli(['config', 'import', config(['before', 'after'])]).status).toBe(0);
  await expect(page.getByRole('region', { name: 'Connections' })).toContainText('Moodle after');

  await backups.getByRole('button', { name: 'Restore…' }).click();
  const confirm = database.getByRole('group', { name: 'Confirm restore' });
  await expect(confirm).toContainText('is not in it');
  await confirm.getByRole('button', { name: /^Restore \d{4}-\d{2}-\d{2}$/ }).click();
  await expect(database.getByRole('status').last()).toContainText('The database it replaced is kept as');
  // The window goes on against the restored copy: the connection made after the backup is gone.
  await expect(page.getByRole('region', { name: 'Connections' })).not.toContainText('Moodle after');
  await expect(page.getByRole('region', { name: 'Connections' })).toContainText('Moodle before');
  expect(JSON.parse(host.cli(['config', 'export', '-']).stdout).connections.map((c: { id: string }) => c.id)).toEqual([
    'before',
  ]);
});
