import { expect, type Locator, type Page } from '@playwright/test';

export type PageName = 'Dashboard' | 'Courses' | 'Errors' | 'Settings';

/** The header and main navigation every page shares. */
export class AppShell {
  readonly nav: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
  }

  navLink(name: PageName): Locator {
    return this.nav.getByRole('link', { name, exact: true });
  }

  pageHeading(name: PageName): Locator {
    return this.page.getByRole('heading', { level: 1, name, exact: true });
  }

  async clickNav(name: PageName): Promise<void> {
    await this.navLink(name).click();
    await this.expectOn(name);
  }

  /** Moves to a page the way a keyboard user would: focus the link, press Enter. */
  async pressNav(name: PageName): Promise<void> {
    await this.navLink(name).focus();
    await this.page.keyboard.press('Enter');
    await this.expectOn(name);
  }

  async expectOn(name: PageName): Promise<void> {
    await expect(this.pageHeading(name)).toBeVisible();
    await expect(this.navLink(name)).toHaveAttribute('aria-current', 'page');
  }
}
