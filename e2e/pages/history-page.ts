import { expect, type Locator, type Page } from '@playwright/test';

export class HistoryPage {
  readonly heading: Locator;
  readonly emptyState: Locator;
  readonly partFilter: Locator;
  readonly chart: Locator;
  readonly chartSummary: Locator;
  readonly chartData: Locator;
  readonly runs: Locator;
  readonly runRows: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'History' });
    this.emptyState = page.getByRole('heading', { name: 'No runs yet.' });
    this.partFilter = page.getByRole('combobox', { name: 'Part' });
    this.chart = page.getByRole('figure', { name: /Last 30 days/ });
    this.chartSummary = this.chart.locator('.chart-summary');
    this.chartData = page.getByRole('table', { name: 'Runs per day, the last 30 days' });
    this.runs = page.getByRole('table', { name: 'Runs, newest first' });
    this.runRows = this.runs.locator(':scope > tbody > tr:not(.details-row)');
  }

  async open(hostUrl: string): Promise<void> {
    await this.page.goto(`${hostUrl}#/history`);
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByText('Loading runs…')).toHaveCount(0);
  }
}
