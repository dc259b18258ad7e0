import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class ErrorsPage {
  readonly heading: Locator;
  readonly emptyState: Locator;
  readonly partFilter: Locator;
  readonly connectionFilter: Locator;
  readonly showResolved: Locator;
  readonly exportButton: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  /** Where the outcome of a Retry or a run-now is announced. */
  readonly outcome: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Errors' });
    this.emptyState = page.getByText('No sync errors.', { exact: true });
    this.partFilter = page.getByRole('combobox', { name: 'Part' });
    this.connectionFilter = page.getByRole('combobox', { name: 'Connection' });
    this.showResolved = page.getByRole('checkbox', { name: 'Show resolved errors' });
    this.exportButton = page.getByRole('button', { name: 'Export CSV' });
    this.table = page.getByRole('table', { name: 'Sync errors' });
    this.rows = this.table.locator('tbody tr');
    this.outcome = page.locator('.outcome[role="status"]');
  }

  async open(hostUrl: string): Promise<void> {
    await this.page.goto(`${hostUrl}#/errors`);
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText('Loading sync errors…')).toHaveCount(0);
  }

  /** The row of the error about one record (its SMS id or key). */
  row(recordKey: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('rowheader', { name: recordKey }) });
  }

  async exportCsv(): Promise<{ download: Download; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.exportButton.click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    return {
      download,
      text: Buffer.concat(chunks)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    };
  }
}
