import { startSmtp } from '../electron/test-support/alert-receivers';
import { expect, test } from './fixtures/headless-host';

test('Settings → Alerts saves the email channel and sends a test of each kind to a real SMTP server', async ({
  page,
  host,
}) => {
  const smtp = await startSmtp();
  try {
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    const alerts = page.getByTestId('alerts-settings');
    await alerts.getByRole('checkbox', { name: 'Send alerts' }).check();
    await alerts.getByLabel('SMTP server', { exact: true }).fill('127.0.0.1');
    await alerts.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await alerts.getByLabel('Security', { exact: true }).selectOption('none');
    await alerts.getByLabel('Sender address').fill('classbridge@school.example');
    await alerts.getByLabel('Recipients').fill('it@school.example, deputy@school.example');
    await alerts.getByRole('button', { name: 'Save alerts' }).click();
    await expect(alerts.getByText('Alert settings saved.')).toBeVisible();
    const saved = JSON.parse(host.cli(['config', 'export', '-']).stdout) as {
      settings: { alerts: { enabled: boolean; email: { host: string; to: string[] } } };
    };
    expect(saved.settings.alerts).toMatchObject({
      enabled: true,
      email: { host: '127.0.0.1', to: ['it@school.example', 'deputy@school.example'] },
    });

    await alerts.getByRole('button', { name: 'Send test alerts' }).click();
    await expect(alerts.getByText(/✓ Email to it@school.example, deputy@school.example \(6 sent\)/)).toBeVisible();
    expect(smtp.mails).toHaveLength(6);
  } finally {
    await smtp.close();
  }
});
