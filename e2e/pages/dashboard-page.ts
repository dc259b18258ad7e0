import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell';

export const NOT_SET_UP_HEADING = 'Not set up yet — start the setup wizard';

export class DashboardPage {
  readonly shell: AppShell;
  readonly heading: Locator;
  readonly notSetUp: Locator;
  readonly loading: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Dashboard' });
    this.notSetUp = page.getByRole('heading', { name: NOT_SET_UP_HEADING });
    this.loading = page.getByText('Loading status…');
  }

  /** Opens the host's URL and waits for the engine's status to arrive: the app's "ready" signal. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitForStatus();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForStatus();
  }

  async waitForStatus(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.loading).toHaveCount(0);
    await expect(this.page.getByText('Can’t reach ClassBridge’s engine')).toHaveCount(0);
  }

  lmsCard(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }
}
