import { seedUser, type SimUser } from '../adapters/testing/moodle-sim';
import { DashboardPage } from './pages/dashboard-page';
import { expect, test } from './fixtures/school-with-sim';

const LMS = 'Moodle (main)';

test('an existing LMS account with a student’s username waits on the dashboard, side by side; Link is carried out by the next upload', async ({
  page,
  host,
  sims,
  setUpSchool,
}) => {
  const { school } = await setUpSchool();
  const sim = sims[0]!;
  const student = school.students.find((s) => s.active)!;
  // An account a teacher made by hand before ClassBridge: the student's username, no idnumber.
  const id = sim.state.sequences.user++;
  const account: SimUser = seedUser({
    id,
    username: student.username,
    firstname: 'Hand',
    lastname: 'Made',
    email: 'hand.made@school.example',
    idnumber: '',
  });
  sim.state.users.set(id, account);
  const before = structuredClone(account);

  const dashboard = new DashboardPage(page);
  await dashboard.open(host.url);
  await dashboard.letEngineSeeTheSchool();
  const upload = dashboard.uploadNow(LMS);
  await upload.click();
  const decisions = page.getByRole('region', { name: /Existing LMS accounts/ });
  await expect(decisions).toBeVisible({ timeout: 30_000 });
  await expect(upload).toBeEnabled({ timeout: 30_000 });
  expect(sim.state.users.get(id)).toEqual(before);

  const item = decisions.getByRole('article', { name: new RegExp(`\\(${student.id}\\)`) });
  const table = item.getByRole('table');
  await expect(table.getByRole('row', { name: /First name/ })).toContainText(`${student.givenName}Hand`);
  // The username rule's next free name: jsmith2, or jsmith1-2 after a digit.
  const nextName = /\d$/.test(student.username) ? `${student.username}-2` : `${student.username}2`;
  await expect(item.getByRole('button', { name: `Create as ${nextName}` })).toBeEnabled();
  await expect(item.getByRole('button', { name: 'Skip' })).toBeEnabled();
  await item.getByRole('button', { name: 'Link' }).click();
  await expect(item.getByRole('status')).toContainText('Link: the next upload makes LMS account');
  expect(sim.state.users.get(id)).toEqual(before);

  await upload.click();
  await expect(decisions).toHaveCount(0, { timeout: 30_000 });
  expect(sim.state.users.get(id)).toMatchObject({ idnumber: student.id, firstname: student.givenName });
});
