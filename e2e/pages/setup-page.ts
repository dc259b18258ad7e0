import { expect, type Locator, type Page } from '@playwright/test';

/** The setup wizard (#/setup): steps, fields by their labels, and the LMS entries by their headings. */
export class SetupPage {
  readonly heading: Locator;
  readonly stepHeading: Locator;
  readonly continueButton: Locator;
  readonly backButton: Locator;
  readonly restoredNotice: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Setup', exact: true });
    this.stepHeading = page.locator('#setup-step-heading');
    this.continueButton = page.getByRole('button', { name: 'Continue', exact: true });
    this.backButton = page.getByRole('button', { name: 'Back', exact: true });
    this.restoredNotice = page.getByText('Your answers from last time are back');
  }

  /** Opens the host (dashboard) and follows the empty state's link, as a new admin would. */
  async openFromDashboard(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('link', { name: 'Start the setup wizard' }).click();
    await this.expectOpen();
  }

  async openByNav(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Setup', exact: true }).click();
    await this.expectOpen();
  }

  async expectOpen(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText('Loading the configuration…')).toHaveCount(0);
  }

  async expectStep(label: string): Promise<void> {
    await expect(this.stepHeading).toContainText(label);
  }

  async next(label: string): Promise<void> {
    await this.continueButton.click();
    await this.expectStep(label);
  }

  field(label: string | RegExp, within?: Locator): Locator {
    return (within ?? this.page).getByLabel(label, { exact: typeof label === 'string' });
  }

  /** Types a value and leaves the field, which is when the wizard shows its error. */
  async fill(label: string | RegExp, value: string, within?: Locator): Promise<void> {
    const field = this.field(label, within);
    await field.fill(value);
    await field.blur();
  }

  /** The error tied to a field through aria-describedby. */
  async expectFieldError(label: string | RegExp, message: string | RegExp, within?: Locator): Promise<void> {
    const field = this.field(label, within);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(message instanceof RegExp ? message : new RegExp(escape(message)));
  }

  async expectNoFieldError(label: string | RegExp, within?: Locator): Promise<void> {
    await expect(this.field(label, within)).not.toHaveAttribute('aria-invalid', 'true');
  }

  async chooseSms(label: string): Promise<void> {
    await this.page.getByLabel('Student Management System').selectOption({ label });
  }

  /** The section of one LMS on the LMS step, by its heading (its name, or "LMS n" before one is typed). */
  lms(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  async fillLms(current: string, values: { name: string; url: string; token: string }): Promise<Locator> {
    // The section is named by its heading, which follows the name as it is typed: leave by Tab.
    await this.field('Name', this.lms(current)).fill(values.name);
    await this.page.keyboard.press('Tab');
    const renamed = this.lms(values.name);
    await this.fill('Site address', values.url, renamed);
    await this.fill('Web-service token', values.token, renamed);
    return renamed;
  }

  testResult(name: string): Locator {
    return this.page.getByRole('group', { name: `Test connection result for ${name}` });
  }

  async fillMapping(values: { category?: string; studentRoleId?: string; teacherRoleId?: string }): Promise<void> {
    if (values.category !== undefined) await this.fill('Category id for new courses (optional)', values.category);
    // Each role's number is a fallback folded under its role (the role itself is chosen by name).
    for (const [label, value] of [
      ['Students’ role number (optional)', values.studentRoleId],
      ['Teachers’ role number (optional)', values.teacherRoleId],
    ] as const) {
      if (value === undefined) continue;
      const box = this.page.getByLabel(label, { exact: true });
      if (!(await box.isVisible())) await box.locator('xpath=ancestor::details[1]/summary').click();
      await box.fill(value);
    }
  }

  mappingPreview(): Locator {
    return this.page.getByRole('region', { name: /^Preview: three example people/ });
  }

  dryRun(lmsName: string): Locator {
    return this.page.getByRole('region', { name: `Dry run: ${lmsName}` });
  }

  /** The stored draft, as the browser keeps it (to prove no secret is in it). */
  storedDraft(): Promise<string> {
    return this.page.evaluate(() => localStorage.getItem('classbridge.setup-draft') ?? '');
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
