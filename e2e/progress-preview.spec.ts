import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seedUser, startMoodleSim, type MoodleSim } from '../adapters/testing/moodle-sim';
import { combinedCsv, generateSchool, oneRosterFiles, zipBytes } from '../adapters/testing/sms-fixtures';
import { expect, test } from './fixtures/school-with-sim';
import { DashboardPage } from './pages/dashboard-page';
import { apiFor, markWork, runNow } from './pages/school-data';
import { SetupPage } from './pages/setup-page';

/**
 * Issue 18, items 7 and 8: every long run shows a real progress bar with the rate and the time left
 * (the wizard's Apply, Upload now, Download now, an approved held plan), and the dry run shows a table
 * of the first records of each kind with what happens to each (create, link to an existing account,
 * update with the field diff, skip and why).
 */

const LMS = 'Moodle (main)';
/** "120 of 400 changes done · 310 a minute · about 2 minutes left" (or "less than a minute left"). */
const WITH_RATE = /^[\d,]+ of [\d,]+ changes done · [\d,]+ (a minute|an hour) · (about .+|less than a minute) left$/;

/** An account made by hand in the LMS before ClassBridge (seedUser: a plain manual account). */
function handMade(sim: MoodleSim, fields: { username: string; idnumber: string; email: string }): number {
  const id = sim.state.sequences.user++;
  sim.state.users.set(id, seedUser({ id, firstname: 'Hand', lastname: 'Made', ...fields }));
  return id;
}

test('the wizard’s first upload: the dry run lists records with a status each, and Apply shows a bar with the rate and time left', async ({
  page,
  host,
  sims,
}) => {
  test.setTimeout(120_000);
  sims.push(await startMoodleSim());
  const sim = sims[0]!;
  const school = generateSchool({ seed: 5, size: { students: 60, enrolmentsPerStudent: 4 } });
  const [linked, sameName] = school.students.filter((s) => s.active);
  // One student already has an account with their idnumber (linked by the upload), another one with their
  // username and no idnumber (left for the admin to decide).
  const linkedId = handMade(sim, { username: 'hand.made1', idnumber: linked!.id, email: 'hand1@school.example' });
  handMade(sim, { username: sameName!.username, idnumber: '', email: 'hand2@school.example' });
  const zip = path.join(host.dataDir, 'oneroster.zip');
  await writeFile(zip, zipBytes(oneRosterFiles(school)));

  const setup = new SetupPage(page);
  await setup.openFromDashboard(host.url);
  await setup.chooseSms('OneRoster SIS');
  await setup.fill('OneRoster export', zip);
  await setup.next('Step 2 of 6: LMS');
  await setup.fillLms('LMS 1', { name: 'Moodle', url: sim.url, token: sim.token });
  await setup.next('Step 3 of 6: Mapping');
  await setup.fillMapping({ category: '1', studentRoleId: '5', teacherRoleId: '3' });
  await setup.next('Step 4 of 6: Export and schedule');
  await setup.next('Step 5 of 6: Review and save');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await setup.expectStep('Step 6 of 6: First upload');

  // The table of records: the first people with what happens to each, like Moodle's upload preview.
  const dryRun = setup.dryRun('Moodle');
  const people = dryRun.getByRole('table', { name: 'People in the dry run for Moodle' });
  await expect(people).toBeVisible({ timeout: 30_000 });
  const rows = people.getByRole('row');
  await expect(rows).toHaveCount(11); // the header and the first 10
  const linkedRow = people.getByRole('row', { name: new RegExp(`\\(${linked!.id}\\)`) });
  await expect(linkedRow).toContainText('Link to existing');
  await expect(linkedRow).toContainText(`LMS account hand.made1 (id ${linkedId}), the same idnumber`);
  const waitingRow = people.getByRole('row', { name: new RegExp(`\\(${sameName!.id}\\)`) });
  await expect(waitingRow).toContainText('Skip');
  await expect(waitingRow).toContainText('has this username and no idnumber');
  const created = people.getByRole('row').filter({ hasText: 'Create' }).first();
  await expect(created).toContainText(/username \S+/);
  const enrolments = dryRun.getByRole('table', { name: 'Enrolments in the dry run for Moodle' });
  await expect(enrolments.getByRole('row').nth(1)).toContainText(/ in \S+Create|Skip/);
  expect(sim.state.users.size).toBeLessThan(school.students.length);

  // Apply on a slow site: the bar appears with the counts, then the rate and the time left.
  sim.setLatency({ perRequestMs: 300, perItemMs: 25 });
  await page.getByRole('button', { name: 'Apply' }).click();
  const bar = page.getByRole('progressbar', { name: 'First upload progress' });
  await expect(bar).toBeVisible({ timeout: 20_000 });
  await expect(bar).toHaveAttribute('aria-valuetext', WITH_RATE, { timeout: 20_000 });
  await expect(page.getByTestId('run-progress')).toContainText(/changes done · /);
  sim.setLatency({ perRequestMs: 0, perItemMs: 0 });
  await expect(page.getByRole('status', { name: 'First upload' })).toContainText('Moodle:', { timeout: 60_000 });
  await expect(bar).toHaveCount(0);
  // The account with the same idnumber was linked, not duplicated.
  expect([...sim.state.users.values()].filter((u) => u.idnumber === linked!.id)).toHaveLength(1);
});

test('Upload now and Download now show the bar with the rate and time left', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  test.setTimeout(120_000);
  const { school } = await setUpSchool();
  const sim = sims[0]!;
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();

  sim.setLatency({ perRequestMs: 300, perItemMs: 25 });
  await dashboard.uploadNow(LMS).click();
  const upload = dashboard.lmsCard(LMS).getByRole('progressbar', { name: 'Upload progress' });
  await expect(upload).toBeVisible({ timeout: 20_000 });
  await expect(upload).toHaveAttribute('aria-valuetext', WITH_RATE, { timeout: 20_000 });
  const max = Number(await upload.getAttribute('max'));
  expect(max).toBeGreaterThan(50);
  sim.setLatency({ perRequestMs: 0, perItemMs: 0 });
  await expect(dashboard.uploadNow(LMS)).toBeEnabled({ timeout: 60_000 });
  await expect(upload).toHaveCount(0);

  // The download counts courses: every Open course's gradebook read.
  const api = apiFor(host);
  expect((await runNow(api, 'course-tracking', 'moodle-main')).outcome).toBe('ok');
  const codes = new Set(school.courses.map((c) => c.code));
  const courses = (await api('courses:list', { connectionId: 'moodle-main' })).filter((c) => codes.has(c.idnumber));
  await api('courses:setState', {
    courses: courses.map((c) => ({ connectionId: 'moodle-main', lmsId: c.lmsId })),
    state: 'Open',
  });
  markWork(
    sim,
    courses.map((c) => c.lmsId),
  );
  sim.setLatency({ perRequestMs: 1_200, perItemMs: 0 });
  await dashboard.downloadNow(LMS).click();
  const download = dashboard.lmsCard(LMS).getByRole('progressbar', { name: 'Download progress' });
  await expect(download).toBeVisible({ timeout: 20_000 });
  await expect(download).toHaveAttribute('max', String(courses.length));
  await expect(download).toHaveAttribute('aria-valuetext', /^[\d,]+ of [\d,]+ courses done · /);
  sim.setLatency({ perRequestMs: 0, perItemMs: 0 });
  await expect(dashboard.downloadNow(LMS)).toBeEnabled({ timeout: 60_000 });
});

test('approving a held plan: the held notice goes at once and the approved upload shows its bar', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  test.setTimeout(120_000);
  const { school } = await setUpSchool();
  const sim = sims[0]!;
  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  await dashboard.uploadNow(LMS).click();
  await expect(dashboard.partCard(LMS, 'Upload')).toContainText('succeeded', { timeout: 30_000 });
  await expect(dashboard.uploadNow(LMS)).toBeEnabled();

  // The largest class vanishes from the next export: held per course.
  const sizes = new Map<string, number>();
  for (const e of school.enrolments) sizes.set(e.courseId, (sizes.get(e.courseId) ?? 0) + 1);
  const [courseId] = [...sizes].sort((a, b) => b[1] - a[1])[0]!;
  const next = path.join(host.dataDir, 'students-without-class.csv');
  writeFileSync(next, combinedCsv({ ...school, enrolments: school.enrolments.filter((e) => e.courseId !== courseId) }));
  expect(host.cli(['import', '--provider', 'csv', next]).status).toBe(0);
  await dashboard.uploadNow(LMS).click();
  const banner = dashboard.heldPlanBanner(LMS);
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(dashboard.uploadNow(LMS)).toBeEnabled();

  await banner.getByRole('button', { name: 'Review' }).click();
  sim.setLatency({ perRequestMs: 2_500, perItemMs: 0 });
  await banner.getByRole('button', { name: 'Approve and upload' }).click();
  // The held notice goes once approved, while the approved upload runs with its bar.
  await expect(banner).toHaveCount(0, { timeout: 5_000 });
  const bar = dashboard.lmsCard(LMS).getByRole('progressbar', { name: 'The approved upload progress' });
  await expect(bar).toBeVisible({ timeout: 20_000 });
  await expect(bar).toHaveAttribute('aria-valuetext', /^[\d,]+ of [\d,]+ changes done · /);
  sim.setLatency({ perRequestMs: 0, perItemMs: 0 });
  await expect(dashboard.uploadNow(LMS)).toBeEnabled({ timeout: 60_000 });
  await expect(banner).toHaveCount(0);
});
