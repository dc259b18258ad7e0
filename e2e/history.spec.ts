import { expect, test } from './fixtures/school-with-sim';
import { HistoryPage } from './pages/history-page';
import { apiFor, runNow, syncWithResults } from './pages/school-data';

test('History lists runs with duration, counts and outcome, charts the last 30 days, and shows what a reconcile repaired', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  const history = new HistoryPage(page);
  await history.open(host.url);
  await expect(history.emptyState).toBeVisible();
  const { school } = await setUpSchool({ seed: 31 });
  // Reading the school's export (from the command line) is itself a run, an SMS import, with no LMS.
  await expect(history.runRows).toHaveCount(1, { timeout: 15_000 });
  await expect(history.runRows.first()).toContainText('SMS import');
  await expect(history.runRows.first()).toContainText('succeeded');

  const api = apiFor(host);
  const sim = sims[0]!;
  await syncWithResults(api, sim, school);
  // Drift in Moodle: someone unenrolled a student by hand; reconcile puts the enrolment back.
  const student = [...sim.state.users.values()].find((u) => u.idnumber === school.students[0]!.id)!;
  const before = sim.state.userEnrolments.length;
  sim.state.userEnrolments = sim.state.userEnrolments.filter((ue) => ue.userid !== student.id);
  expect(sim.state.userEnrolments.length).toBeLessThan(before);
  const reconcile = await runNow(api, 'reconcile');
  expect(reconcile.outcome, reconcile.message).toBe('ok');

  const runs = await api('runs:list', {});
  // The page follows the runs through the event stream, no reload.
  await expect(history.runRows).toHaveCount(runs.length, { timeout: 15_000 });
  await expect(history.chartSummary).toContainText(`${runs.length} runs`);
  const failing = runs.filter((r) => r.outcome === 'failed' || r.outcome === 'partial').length;
  await expect(history.chartSummary).toContainText(`${failing} ${failing === 1 ? 'run' : 'runs'} with failures`);

  // Newest first: the reconcile, with its duration, counts and outcome in words (not colour alone).
  const newest = history.runRows.first();
  await expect(newest).toContainText('Reconcile');
  await expect(newest).toContainText('by hand');
  await expect(newest).toContainText(/\d+(\.\d)? s/);
  await expect(newest).toContainText('succeeded');
  await expect(newest).toContainText('had drifted');
  const download = history.runRows.filter({ hasText: 'Results' });
  await expect(download).toContainText('changed');

  // The chart's numbers are also a table; today's row counts every run.
  await page.getByText('The chart’s numbers as a table').click();
  const today = history.chartData.locator('tbody tr').last();
  await expect(today.locator('td').first()).toHaveText(String(runs.length));

  await newest.getByRole('button', { name: /^Show repairs/ }).click();
  const repairs = page.getByRole('table', { name: 'What this reconcile repaired' });
  await expect(repairs).toBeVisible();
  await expect(repairs.getByRole('rowheader').first()).toBeVisible();
  await expect(newest.getByRole('button', { name: /^Hide repairs/ })).toHaveAttribute('aria-expanded', 'true');

  await history.partFilter.selectOption({ label: 'Results' });
  await expect(history.runRows).toHaveCount(runs.filter((r) => r.part === 'results').length);
});
