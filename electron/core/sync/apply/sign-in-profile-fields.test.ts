/**
 * Issue 15, items 2 and 3 end to end: the mapping's sign-in method and profile fields, planned, sent by
 * the real Moodle adapter over HTTP to the simulator, applied state in a real SQLite store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freshSiteSeed, startMoodleSim, type MoodleSim } from '../../../../adapters/testing/moodle-sim';
import type { Snapshot } from '../../model';
import type { Store } from '../../store/store';
import { useTempDirs } from '../../../test-support/temp';
import {
  connectionFor,
  moodleAdapter,
  openTestStore,
  syntheticSchool,
  upload,
  writeRequests,
} from '../../../test-support/upload-harness';

const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
afterEach(async () => {
  store.close();
  await sim.close();
});

/** Five students with a year level and a house in `extra`, as the SMS adapters give them; the teacher has none. */
function school(): Snapshot {
  const s = syntheticSchool(5, 2);
  for (const p of s.people) {
    const n = Number(p.username?.slice(3)); // syn<n>
    if (p.role === 'student') p.extra = { yearLevel: String(9 + (n % 2)), house: n % 2 ? 'Rata' : 'Kowhai' };
  }
  return s;
}

const mapping = {
  signIn: { auth: 'oauth2', emailPassword: true },
  profileFields: { department: 'yearLevel', profile_field_house: 'house' },
};

const userNamed = (username: string) => [...sim.state.users.values()].find((u) => u.username === username)!;

describe('sign-in method and profile fields against the simulator', () => {
  it('creates accounts with the auth and fields, changes nothing on a second run, and updates a changed house', async () => {
    sim = await startMoodleSim();
    sim.state.site.profileFields = [{ shortname: 'house', name: 'House', datatype: 'text' }];
    const connection = connectionFor(sim, mapping);
    const snapshot = school();
    store = openTestStore(tempDir(), connection, snapshot);

    const first = await upload(store, moodleAdapter(sim), connection);
    expect(first.outcome).toBe('ok');
    expect(userNamed('syn1')).toMatchObject({
      auth: 'oauth2',
      password: 'not cached',
      department: '10',
      customfields: { house: 'Rata' },
    });
    expect(userNamed('syn0')).toMatchObject({ department: '9', customfields: { house: 'Kowhai' } });
    // The teacher has no house in the SMS: nothing is sent for it.
    expect(userNamed('tteacher')).toMatchObject({ auth: 'oauth2', department: '' });
    expect(userNamed('tteacher').customfields).toBeUndefined();

    sim.resetCounters();
    const second = await upload(store, moodleAdapter(sim), connection);
    expect(second.outcome).toBe('ok');
    expect(writeRequests(sim)).toBe(0);

    const moved = structuredClone(snapshot);
    moved.people.find((p) => p.username === 'syn1')!.extra!.house = 'Totara';
    store.snapshot.replace(moved, 'test');
    sim.resetCounters();
    const third = await upload(store, moodleAdapter(sim), connection);
    expect(third.outcome).toBe('ok');
    expect(sim.requestCount('core_user_update_users')).toBe(1);
    expect(writeRequests(sim)).toBe(1);
    expect(userNamed('syn1')).toMatchObject({ department: '10', customfields: { house: 'Totara' }, auth: 'oauth2' });

    sim.resetCounters();
    await upload(store, moodleAdapter(sim), connection);
    expect(writeRequests(sim)).toBe(0);
  });

  it('an adopted account keeps its own sign-in method; only its fields are brought in line', async () => {
    sim = await startMoodleSim();
    sim.state.site.profileFields = [{ shortname: 'house', name: 'House', datatype: 'text' }];
    // A manual account with this person's idnumber already exists (made before ClassBridge).
    const created = (await moodleAdapter(sim).createUsers([
      {
        username: 'syn0',
        firstname: 'Old',
        lastname: 'Name',
        email: 'syn0@school.example',
        idnumber: 'S0',
        auth: 'manual',
        createPassword: true,
      },
    ])) as { outcomes: { ok: boolean }[] };
    expect(created.outcomes[0]?.ok).toBe(true);
    const snapshot = school();
    const connection = connectionFor(sim, { profileFields: mapping.profileFields });
    store = openTestStore(tempDir(), connection, snapshot);
    expect(snapshot.people.find((p) => p.username === 'syn0')?.smsId).toBe('S0');

    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    expect(userNamed('syn0')).toMatchObject({ auth: 'manual', department: '9', customfields: { house: 'Kowhai' } });
    sim.resetCounters();
    await upload(store, moodleAdapter(sim), connection);
    expect(writeRequests(sim)).toBe(0);
  });

  it('an existing account with another sign-in method than new accounts get is not taken over or changed', async () => {
    sim = await startMoodleSim();
    await moodleAdapter(sim).createUsers([
      {
        username: 'syn0',
        firstname: 'Old',
        lastname: 'Name',
        email: 'syn0@school.example',
        idnumber: 'S0',
        createPassword: true,
      },
    ]);
    const connection = connectionFor(sim, mapping);
    store = openTestStore(tempDir(), connection, school());
    await upload(store, moodleAdapter(sim), connection);
    expect(userNamed('syn0')).toMatchObject({ auth: 'manual', firstname: 'Old', department: '' });
    expect(userNamed('syn1').auth).toBe('oauth2');
    sim.resetCounters();
    await upload(store, moodleAdapter(sim), connection);
    expect(userNamed('syn0')).toMatchObject({ auth: 'manual', firstname: 'Old' });
  });

  it('a fresh site without the auth plugin: every new account is a record error whose fix names the plugin', async () => {
    sim = await startMoodleSim({ seed: freshSiteSeed() });
    const connection = connectionFor(sim, { signIn: { auth: 'saml2', emailPassword: true } });
    store = openTestStore(tempDir(), connection, school());

    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('partial');
    const errors = store.runs
      .listErrors({ connectionId: connection.id })
      .filter((e) => e.runId === result.runId && e.recordKind === 'person');
    expect(errors).toHaveLength(6);
    expect(errors[0]?.fix).toContain('"saml2" authentication plugin');
    expect([...sim.state.users.values()].some((u) => u.auth === 'saml2')).toBe(false);

    // Installed (Site administration › Plugins), the next upload creates them.
    sim.state.site.authPlugins = ['manual', 'email', 'nologin', 'saml2'];
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    expect(userNamed('syn0').auth).toBe('saml2');
  });

  it('manual without an emailed password: created with a password nobody is told, no createpassword', async () => {
    sim = await startMoodleSim({ seed: freshSiteSeed() });
    const connection = connectionFor(sim, { signIn: { auth: 'manual', emailPassword: false } });
    store = openTestStore(tempDir(), connection, school());
    expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
    const user = userNamed('syn0');
    expect(user.auth).toBe('manual');
    expect(user.password).not.toBe('(generated and emailed)');
    expect(user.password.length).toBeGreaterThanOrEqual(20);
  });
});
