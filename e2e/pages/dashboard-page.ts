import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell';

export const NOT_SET_UP_HEADING = 'Not set up yet — start the setup wizard';

export type PartName = 'Upload' | 'Results' | 'Course tracking' | 'Reconcile';

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

  /**
   * A configuration written from the command line (the school fixture) reaches the engine's scheduler on
   * its next database check, every 2 s (engine-worker.ts); a run started before then finds no schedule
   * ("No part is scheduled as …"), so tests that press a Run now button give the engine that long first.
   */
  async letEngineSeeTheSchool(): Promise<void> {
    await this.page.waitForTimeout(2_500);
  }

  /** One LMS connection's region: its Upload now / Download now and a card per part. */
  lmsCard(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  uploadNow(lmsName: string): Locator {
    return this.lmsCard(lmsName).getByRole('button', { name: 'Upload now', exact: true });
  }

  downloadNow(lmsName: string): Locator {
    return this.lmsCard(lmsName).getByRole('button', { name: 'Download now', exact: true });
  }

  readCourseListNow(lmsName: string): Locator {
    return this.lmsCard(lmsName).getByRole('button', { name: 'Read course list now', exact: true });
  }

  partCard(lmsName: string, part: PartName): Locator {
    return this.lmsCard(lmsName).getByRole('article', { name: part, exact: true });
  }

  /** The banner of an upload the safety rail held for approval. */
  heldPlanBanner(lmsName: string): Locator {
    return this.page.getByRole('region', { name: `The upload to ${lmsName} is waiting for your approval` });
  }

  /** The banner naming what is wrong with an LMS connection, and the fix. */
  connectionProblem(lmsName: string): Locator {
    return this.page.getByRole('region', { name: new RegExp(`^(Problem|Trouble) syncing with ${escape(lmsName)}$`) });
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
