import type { Locator, Page } from '@playwright/test';

export const NO_COURSES_YET = "No LMS courses yet — they appear after ClassBridge first reads each LMS's course list.";

export class CoursesPage {
  readonly emptyState: Locator;
  readonly search: Locator;

  constructor(readonly page: Page) {
    this.emptyState = page.getByText(NO_COURSES_YET);
    this.search = page.getByRole('searchbox', { name: 'Search' });
  }
}
