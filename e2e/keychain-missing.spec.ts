import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { serveReading } from '../electron/test-support/cli';

// Issue 18 item 12: a headless Linux host with no keychain says so at start, with the fix, before the
// wizard fails. The host is started without a D-Bus session, so no Secret Service answers.
test('a host with no keychain says so on every page, with the fix, before any Save', async ({ page }) => {
  test.skip(process.platform !== 'linux', 'the Secret Service is the Linux keychain');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'classbridge-e2e-nokeychain-'));
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const { host, before } = await serveReading(path.join(dataDir, 'data'), env);
  try {
    expect(before.join('\n')).toMatch(/Warning: No OS keychain is available/);
    await page.goto(host.url);
    const banner = page.getByRole('region', { name: 'ClassBridge cannot reach this computer’s keychain' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('setting up a connection will fail');
    // The fix names the commands as code, not in backticks.
    await expect(banner.locator('code', { hasText: 'dbus-run-session' })).toBeVisible();
    await expect(banner).not.toContainText('`');
    await page.goto(`${host.origin}/#/setup`);
    await expect(banner).toBeVisible();
  } finally {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
