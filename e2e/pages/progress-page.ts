import { expect, type Download, type Locator, type Page } from '@playwright/test';

export const NO_PROGRESS_YET = 'No progress yet — it appears after the first download from an Open course.';

export class ProgressPage {
  readonly heading: Locator;
  readonly emptyState: Locator;
  readonly search: Locator;
  readonly courseFilter: Locator;
  readonly byCourse: Locator;
  readonly byStudent: Locator;
  readonly exportButton: Locator;
  readonly table: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Progress' });
    this.emptyState = page.getByRole('heading', { name: NO_PROGRESS_YET });
    this.search = page.getByRole('searchbox', { name: 'Search' });
    this.courseFilter = page.getByRole('combobox', { name: 'Course' });
    this.byCourse = page.getByRole('radio', { name: 'By course' });
    this.byStudent = page.getByRole('radio', { name: 'By student' });
    this.exportButton = page.getByRole('button', { name: 'Export CSV' });
    this.table = page.getByRole('table');
    this.rows = this.table.locator('tbody tr');
  }

  /** Opens the page straight from the host's address (hash route), and waits for its data. */
  async open(hostUrl: string): Promise<void> {
    await this.page.goto(`${hostUrl}#/progress`);
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText('Loading progress…')).toHaveCount(0);
  }

  sortButton(column: string): Locator {
    return this.table.getByRole('button', { name: column, exact: true });
  }

  columnHeader(column: string): Locator {
    return this.table.getByRole('columnheader', { name: column, exact: true });
  }

  /** The text of one column (0-based, header cells included) in every shown row. */
  async column(index: number): Promise<string[]> {
    return this.rows.evaluateAll(
      (rows, i) => rows.map((row) => (row.children[i]?.textContent ?? '').replace(/\s+/g, ' ').trim()),
      index,
    );
  }

  async exportCsv(): Promise<{ download: Download; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.exportButton.click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { download, text: Buffer.concat(chunks).toString('utf8') };
  }
}
