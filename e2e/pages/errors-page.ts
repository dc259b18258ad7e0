import type { Locator, Page } from '@playwright/test';

export class ErrorsPage {
  readonly emptyState: Locator;
  readonly partFilter: Locator;

  constructor(readonly page: Page) {
    this.emptyState = page.getByText('No sync errors.', { exact: true });
    this.partFilter = page.getByRole('combobox', { name: 'Part' });
  }
}
