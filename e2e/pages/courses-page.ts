import type { Locator, Page } from '@playwright/test';
import { AppShell } from './app-shell';

export const NO_COURSES_YET = "No LMS courses yet — they appear after ClassBridge first reads each LMS's course list.";

export class CoursesPage {
  readonly shell: AppShell;
  readonly emptyState: Locator;
  readonly search: Locator;
  readonly stateFilter: Locator;
  readonly showDeleted: Locator;
  readonly table: Locator;
  readonly selectAll: Locator;
  readonly openSelected: Locator;
  readonly closeSelected: Locator;
  /** The sentence that says what the last Open / Close did. */
  readonly outcome: Locator;

  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
    this.emptyState = page.getByText(NO_COURSES_YET);
    this.search = page.getByRole('searchbox', { name: 'Search' });
    this.stateFilter = page.getByRole('combobox', { name: 'State' });
    this.showDeleted = page.getByRole('checkbox', { name: 'Show deleted courses' });
    this.table = page.getByRole('table', { name: /^LMS courses/ });
    this.selectAll = page.getByRole('checkbox', { name: 'Select all courses shown' });
    this.openSelected = page.getByRole('button', { name: 'Open selected' });
    this.closeSelected = page.getByRole('button', { name: 'Close selected' });
    this.outcome = page.locator('.outcome');
  }

  /** The table rows (the header row excluded). */
  rows(): Locator {
    return this.table.locator('tbody tr');
  }

  row(fullname: string): Locator {
    return this.rows().filter({ has: this.page.getByRole('rowheader', { name: fullname, exact: true }) });
  }

  selectCourse(fullname: string): Locator {
    return this.page.getByRole('checkbox', { name: `Select ${fullname}`, exact: true });
  }
}
