// Look up before create over the simulator: which existing LMS accounts ClassBridge takes over on its
// own, which wait for the admin's link decision, and which it never touches.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedUser, type SimUser } from '../../../../adapters/testing/moodle-sim';
import { DEFAULT_SETTINGS, type Snapshot } from '../../model';
import { runReconcile } from '../reconcile';
import { useTempDirs } from '../../../test-support/temp';
import { ApiService } from '../../api/api-service';
import { MemorySecretStore } from '../../secrets';
import {
  connectionFor,
  moodleAdapter,
  startSimulatedSchool,
  stopSimulatedSchool,
  upload,
  type SimulatedSchool,
} from '../../../test-support/upload-harness';

const tempDir = useTempDirs();
let { sim, store, connection, school } = {} as SimulatedSchool;

beforeEach(async () => {
  ({ sim, store, connection, school } = await startSimulatedSchool(tempDir(), 4, 2));
});
afterEach(() => stopSimulatedSchool({ sim, store }));

/** An account an admin made by hand in the LMS (no idnumber unless given). */
function handMade(fields: Partial<SimUser> & Pick<SimUser, 'username' | 'email'>): SimUser {
  const id = sim.state.sequences.user++;
  const user = seedUser({ id, firstname: 'Hand', lastname: 'Made', idnumber: '', auth: 'manual', ...fields });
  sim.state.users.set(id, user);
  return user;
}

const live = () => [...sim.state.users.values()].filter((u) => !u.deleted);
const withUsername = (username: string) => live().filter((u) => u.username === username);
/** The account's fields ClassBridge could change, to show it was not touched. */
const fieldsOf = (u: SimUser) => {
  const { username, firstname, lastname, email, idnumber, auth, suspended, timemodified } = u;
  return { username, firstname, lastname, email, idnumber, auth, suspended, timemodified };
};

function linkExisting(): void {
  connection = connectionFor(sim, { linkExistingAccounts: true });
  store.connections.save(connection);
}

function withPerson(smsId: string, change: Partial<Snapshot['people'][number]>): void {
  const changed = structuredClone(school);
  Object.assign(
    changed.people.find((p) => p.smsId === smsId)!,
    change,
  );
  store.snapshot.replace(changed, 'test');
  school = changed;
}

describe('existing LMS accounts at user create', () => {
  it('leaves a hand-made account with the username and no idnumber untouched, and records a link decision', async () => {
    const staff = handMade({
      username: 'syn0',
      firstname: 'Sam',
      lastname: 'Staff',
      email: 'sam.staff@school.example',
    });
    const before = fieldsOf(staff);

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(fieldsOf(sim.state.users.get(staff.id)!)).toEqual(before);
    expect(withUsername('syn0')).toHaveLength(1);
    expect(store.links.all(connection.id, 'person').has('S0')).toBe(false);
    // Everyone else is created as usual.
    for (const u of ['syn1', 'syn2', 'syn3', 'tteacher']) expect(withUsername(u)).toHaveLength(1);
    const decisions = store.linkDecisions.list({ connectionId: connection.id });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      smsId: 'S0',
      lmsUserId: staff.id,
      reason: 'no-idnumber',
      linkable: true,
      state: 'open',
      sms: { username: 'syn0', firstname: 'Given0', lastname: 'Family0', email: 'syn0@school.example', idnumber: 'S0' },
      lms: { id: staff.id, username: 'syn0', firstname: 'Sam', lastname: 'Staff', idnumber: '', auth: 'manual' },
      suggestedUsername: 'syn0-2',
    });
    expect(result.outcome).toBe('partial');
    expect(result.message).toContain('classbridge links list');

    // The next upload asks again without writing to the account or recording a second decision.
    await upload(store, moodleAdapter(sim), connection);
    expect(fieldsOf(sim.state.users.get(staff.id)!)).toEqual(before);
    expect(store.linkDecisions.list({ connectionId: connection.id, all: true })).toHaveLength(1);
  });

  it('links such an account when the connection links existing accounts and the email is the same (any case)', async () => {
    linkExisting();
    const same = handMade({ username: 'syn0', email: 'SYN0@School.Example' });
    const other = handMade({ username: 'syn1', email: 'someone.else@school.example' });
    const otherBefore = fieldsOf(other);

    await upload(store, moodleAdapter(sim), connection);

    expect(store.links.all(connection.id, 'person').get('S0')).toBe(String(same.id));
    expect(sim.state.users.get(same.id)).toMatchObject({ idnumber: 'S0', firstname: 'Given0', lastname: 'Family0' });
    expect(withUsername('syn0')).toHaveLength(1);
    // Another email: the admin decides.
    expect(fieldsOf(sim.state.users.get(other.id)!)).toEqual(otherBefore);
    expect(store.linkDecisions.list({ connectionId: connection.id }).map((d) => d.smsId)).toEqual(['S1']);
  });

  it("never adopts the site admin or the token's own user, even with the same email and linking on", async () => {
    linkExisting();
    const admin = sim.state.users.get(2)!;
    const tokenUser = [...sim.state.tokens.values()].find((t) => t.token === sim.token)!;
    const wsUser = sim.state.users.get(tokenUser.userid)!;
    const [adminBefore, wsBefore] = [fieldsOf(admin), fieldsOf(wsUser)];
    withPerson('S0', { username: admin.username, email: admin.email });
    withPerson('S1', { username: wsUser.username, email: wsUser.email });

    await upload(store, moodleAdapter(sim), connection);

    expect(fieldsOf(sim.state.users.get(admin.id)!)).toEqual(adminBefore);
    expect(fieldsOf(sim.state.users.get(wsUser.id)!)).toEqual(wsBefore);
    const links = store.links.all(connection.id, 'person');
    expect(links.has('S0')).toBe(false);
    expect(links.has('S1')).toBe(false);
    const decisions = store.linkDecisions.list({ connectionId: connection.id });
    expect(decisions.map((d) => [d.smsId, d.reason, d.linkable])).toEqual([
      ['S0', 'site-admin', false],
      ['S1', 'web-service-user', false],
    ]);
  });

  it('never adopts an account that signs in with another auth method, even with the same idnumber', async () => {
    linkExisting();
    const ldap = handMade({ username: 'syn0', email: 'syn0@school.example', idnumber: 'S0', auth: 'ldap' });
    const before = fieldsOf(ldap);

    await upload(store, moodleAdapter(sim), connection);

    expect(fieldsOf(sim.state.users.get(ldap.id)!)).toEqual(before);
    expect(store.links.all(connection.id, 'person').has('S0')).toBe(false);
    expect(store.linkDecisions.list({ connectionId: connection.id })).toMatchObject([
      { smsId: 'S0', reason: 'other-auth', linkable: false, lms: { auth: 'ldap' } },
    ]);
  });

  it('makes an email another account uses a per-record error with the fix, and creates the rest of the batch', async () => {
    const holder = handMade({ username: 'otherperson', email: 'syn1@school.example' });

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('partial');
    for (const u of ['syn0', 'syn2', 'syn3', 'tteacher']) expect(withUsername(u)).toHaveLength(1);
    expect(withUsername('syn1')).toHaveLength(0);
    // Found at look-up: the create batch went through in one request (no refused batch to bisect).
    expect(sim.requestCount('core_user_create_users')).toBe(1);
    const errors = store.runs.listErrors({ connectionId: connection.id }).filter((e) => e.recordKey === 'S1');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('"syn1@school.example" is already used by another LMS account');
    expect(errors[0]!.message).toContain(`otherperson, id ${holder.id}`);
    expect(errors[0]!.fix).toContain('Give this person their own email address in the SMS');
    expect(store.linkDecisions.list()).toHaveLength(0);
  });
});

describe("carrying out the admin's link decision", () => {
  async function decisionFor(smsId: string) {
    await upload(store, moodleAdapter(sim), connection);
    const d = store.linkDecisions.forPerson(connection.id, smsId);
    expect(d?.state).toBe('open');
    return d!;
  }

  it('Link: the next upload links the account and brings it in line', async () => {
    const staff = handMade({ username: 'syn0', email: 'sam.staff@school.example' });
    const d = await decisionFor('S0');
    store.linkDecisions.decide(d.id, 'link');

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('ok');
    expect(store.links.all(connection.id, 'person').get('S0')).toBe(String(staff.id));
    expect(sim.state.users.get(staff.id)).toMatchObject({ idnumber: 'S0', email: 'syn0@school.example' });
    expect(store.linkDecisions.get(d.id)?.appliedAt).not.toBeNull();
    expect(store.linkDecisions.list({ connectionId: connection.id })).toHaveLength(0);
  });

  it('Create with another username: the next free name is created; the hand-made account stays as it was', async () => {
    const staff = handMade({ username: 'syn0', email: 'sam.staff@school.example' });
    handMade({ username: 'syn0-2', email: 'taken@school.example', idnumber: 'X9' });
    const before = fieldsOf(staff);
    const d = await decisionFor('S0');
    expect(d.suggestedUsername).toBe('syn0-3');
    store.linkDecisions.decide(d.id, 'create');

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(result.outcome).toBe('ok');
    expect(fieldsOf(sim.state.users.get(staff.id)!)).toEqual(before);
    const created = withUsername('syn0-3');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ idnumber: 'S0', firstname: 'Given0' });
    expect(store.links.all(connection.id, 'person').get('S0')).toBe(String(created[0]!.id));
    // Settled: a later upload changes nothing.
    sim.resetCounters();
    await upload(store, moodleAdapter(sim), connection);
    expect(sim.requestCount('core_user_update_users')).toBe(0);
    expect(sim.requestCount('core_user_create_users')).toBe(0);
    // Reconcile takes the chosen name for what it is, not drift to rename back to a taken name.
    const reconciled = await runReconcile({
      adapter: moodleAdapter(sim),
      store,
      connection,
      settings: DEFAULT_SETTINGS,
      trigger: 'manual',
    });
    expect(reconciled.outcome).toBe('ok');
    expect(reconciled.message).not.toMatch(/syn0-3/);
    expect(sim.requestCount('core_user_update_users')).toBe(0);
    expect(withUsername('syn0-3')).toHaveLength(1);
  });

  it('Skip: the person is not created and the account is not touched, run after run', async () => {
    const staff = handMade({ username: 'syn0', email: 'sam.staff@school.example' });
    const before = fieldsOf(staff);
    const d = await decisionFor('S0');
    store.linkDecisions.decide(d.id, 'skip');
    sim.resetCounters();

    const result = await upload(store, moodleAdapter(sim), connection);

    expect(fieldsOf(sim.state.users.get(staff.id)!)).toEqual(before);
    expect(withUsername('syn0')).toHaveLength(1);
    expect(store.links.all(connection.id, 'person').has('S0')).toBe(false);
    expect(sim.requestCount('core_user_create_users')).toBe(0);
    expect(result.message).toContain('you chose Skip');
    expect(store.linkDecisions.get(d.id)).toMatchObject({ state: 'skip', appliedAt: null });
  });

  it('the Api refuses to Link an account ClassBridge never takes over; Create takes a valid username of the admin’s', async () => {
    const admin = sim.state.users.get(2)!;
    const before = fieldsOf(admin);
    withPerson('S0', { username: admin.username });
    const d = await decisionFor('S0');
    const api = new ApiService({ store, secrets: new MemorySecretStore(), emit: () => undefined });

    const link = await api.dispatch('links:decide', { id: d.id, decision: 'link' });
    expect(link).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(JSON.stringify(link)).toContain("the site's administrator");
    const bad = await api.dispatch('links:decide', { id: d.id, decision: 'create', username: "o'brien" });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'username' } });
    const taken = await api.dispatch('links:decide', { id: d.id, decision: 'create', username: 'admin' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'username' } });
    const ok = await api.dispatch('links:decide', { id: d.id, decision: 'create', username: 'student.s0' });
    expect(ok).toMatchObject({ ok: true, result: { decision: { state: 'create', username: 'student.s0' } } });

    await upload(store, moodleAdapter(sim), connection);

    expect(fieldsOf(sim.state.users.get(2)!)).toEqual(before);
    expect(withUsername('student.s0')).toMatchObject([{ idnumber: 'S0' }]);
    const after = await api.dispatch('links:decide', { id: d.id, decision: 'skip' });
    expect(after).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});
