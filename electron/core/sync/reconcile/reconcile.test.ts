import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { DEFAULT_SETTINGS } from '../../model';

import {
  lmsView,
  moodleAdapter,
  type SimulatedSchool,
  startSimulatedSchool,
  stopSimulatedSchool,
  upload,
  writeRequests,
} from '../apply/test-support';
import { runReconcile } from './run-reconcile';

const tempDir = useTempDirs();
let { sim, store, connection, school } = {} as SimulatedSchool;

beforeEach(async () => {
  ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 12, 3));
  expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
  sim.resetCounters();
});
afterEach(() => stopSimulatedSchool({ sim, store }));

const reconcile = () =>
  runReconcile({ adapter: moodleAdapter(sim), store, connection, settings: DEFAULT_SETTINGS, trigger: 'manual' });

function simUser(username: string) {
  const user = [...sim.state.users.values()].find((u) => u.username === username && !u.deleted);
  if (!user) throw new Error(`no user ${username} in the simulator`);
  return user;
}
function simCourse(shortname: string) {
  const course = [...sim.state.courses.values()].find((c) => c.shortname === shortname);
  if (!course) throw new Error(`no course ${shortname} in the simulator`);
  return course;
}
/** What Moodle's delete_user() does: ends every enrolment and membership, frees the username and idnumber. */
function deleteByHand(username: string): void {
  const user = simUser(username);
  sim.state.userEnrolments = sim.state.userEnrolments.filter((ue) => ue.userid !== user.id);
  sim.state.roleAssignments = sim.state.roleAssignments.filter((ra) => ra.userid !== user.id);
  for (const group of sim.state.groups.values()) group.members = group.members.filter((m) => m !== user.id);
  user.deleted = true;
  user.username = `${user.email}.${Date.now()}`;
  user.idnumber = '';
}
/** What an LMS admin's "Unenrol" does: the user enrolment and the role assignment go. */
function unenrolByHand(username: string, shortname: string): void {
  const user = simUser(username);
  const course = simCourse(shortname);
  const instances = new Set(
    [...sim.state.enrolInstances.values()].filter((i) => i.courseid === course.id).map((i) => i.id),
  );
  sim.state.userEnrolments = sim.state.userEnrolments.filter(
    (ue) => !(ue.userid === user.id && instances.has(ue.enrolid)),
  );
  sim.state.roleAssignments = sim.state.roleAssignments.filter(
    (ra) => !(ra.userid === user.id && ra.courseid === course.id),
  );
}

describe('reconcile against the Moodle simulator', () => {
  it('reads the LMS back and writes nothing when nothing drifted', async () => {
    const result = await reconcile();

    expect(result.outcome).toBe('ok');
    expect(result.drifts).toEqual([]);
    expect(writeRequests(sim)).toBe(0);
    expect(sim.requestCount('core_user_get_users_by_field')).toBeGreaterThan(0);
    expect(sim.requestCount('core_enrol_get_enrolled_users')).toBe(3);
    expect(result.message).toContain('nothing had drifted');
    expect(store.runs.last(connection.id, 'reconcile')).toMatchObject({ outcome: 'ok', counts: { drifted: 0 } });
  });

  it('repairs records changed or removed by hand and reports each repair', async () => {
    const expected = lmsView(sim, school);
    simUser('syn1').email = 'typo@elsewhere.example';
    simUser('syn2').suspended = true;
    deleteByHand('syn3');
    unenrolByHand('syn0', 'SYN0-2026');

    const result = await reconcile();

    expect(store.runs.listErrors({ part: 'reconcile' })).toEqual([]);
    expect(result.outcome).toBe('ok');
    expect(lmsView(sim, school)).toEqual(expected);
    expect(simUser('syn1').email).toBe('syn1@school.example');
    // Re-created, not resurrected: a new account with the SMS's values, enrolled and in its groups again.
    expect(simUser('syn3').idnumber).not.toBe('');
    const repairs = store.runs.listRepairs(result.runId);
    const byKey = new Map(repairs.map((r) => [r.recordKey, r]));
    expect(byKey.get('S1')).toMatchObject({
      drift: 'email is "typo@elsewhere.example" in the LMS, ClassBridge set "syn1@school.example"',
      repair: 'ClassBridge set the fields back to the SMS values.',
    });
    expect(byKey.get('S2')?.drift).toBe('the user was suspended in the LMS');
    expect(byKey.get('S2')?.repair).toMatch(/^ClassBridge (reactivated the user|set the fields back)/);
    expect(byKey.get('S3')).toMatchObject({ drift: 'user syn3 was deleted in the LMS' });
    expect(byKey.get('S3')?.repair).toContain('created the user again');
    expect(byKey.get(JSON.stringify(['S0', 'C0']))).toMatchObject({
      recordKind: 'enrolment',
      course: 'SYN0-2026',
      drift: 'syn0 was unenrolled from SYN0-2026 in the LMS',
      repair: 'ClassBridge enrolled again.',
    });
    expect(repairs).toHaveLength(4);

    // Repaired for good: the next reconcile finds nothing and the next upload sends nothing.
    sim.resetCounters();
    expect((await reconcile()).drifts).toEqual([]);
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    expect(writeRequests(sim)).toBe(0);
  });

  it('never removes anything, and leaves pending SMS changes to the upload', async () => {
    const changed = structuredClone(school);
    changed.people = changed.people.filter((p) => p.smsId !== 'S5');
    changed.enrolments = changed.enrolments.filter((e) => e.personSmsId !== 'S5');
    changed.people.find((p) => p.smsId === 'S6')!.familyName = 'Renamed';
    store.snapshot.replace(changed, 'test');
    simUser('syn7').firstname = 'Edited';

    const result = await reconcile();

    expect(result.drifts.map((d) => d.recordKey)).toEqual(['S7']);
    expect(sim.requestCount('core_user_update_users')).toBe(1);
    expect(writeRequests(sim)).toBe(1);
    expect(simUser('syn5').suspended).toBe(false);
    expect(simUser('syn6').lastname).toBe('Family6');
    expect(simUser('syn7').firstname).toBe('Given7');
  });

  it('ends failed with the LMS error when the token is revoked, changing nothing', async () => {
    sim.deleteToken(sim.token);
    const before = store.appliedState.read(connection.id);

    const result = await reconcile();

    expect(result.outcome).toBe('failed');
    expect(result.error?.kind).toBe('invalid-token');
    expect(store.appliedState.read(connection.id)).toEqual(before);
    expect(store.runs.last(connection.id, 'reconcile')).toMatchObject({
      outcome: 'failed',
      message: expect.stringMatching(/^The reconcile stopped: /),
    });
  });
});
