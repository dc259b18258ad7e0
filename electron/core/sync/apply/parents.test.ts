/**
 * Issue 15 item 5 end to end: the parents rule planned from a real SQLite snapshot, sent by the real Moodle
 * adapter over HTTP to the simulator (core_user_create_users, core_role_assign_roles /
 * core_role_unassign_roles with contextlevel "user"), its own applied state in store.parents.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  addParentRole,
  seedUser,
  startMoodleSim,
  userContextRolesOf,
  type MoodleSim,
} from '../../../../adapters/testing/moodle-sim';
import type { Snapshot } from '../../model';
import type { Store } from '../../store/store';
import { useTempDirs } from '../../../test-support/temp';
import {
  aroundWrites,
  connectionFor,
  moodleAdapter,
  openTestStore,
  SimulatedCrash,
  syntheticSchool,
  upload,
} from '../../../test-support/upload-harness';
import { previewUpload } from '../upload/preview-upload';
import { DEFAULT_SETTINGS } from '../../model';

const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store | undefined;
afterEach(async () => {
  store?.close();
  store = undefined;
  await sim.close();
});

/** Four students; Mere (P1) is S0's and S1's parent, Hone (P2) S2's with no email, Aunty Rua (P3) S3's relative. */
function school(): Snapshot {
  const s = syntheticSchool(4, 2);
  s.guardians = [
    { smsId: 'P1', givenName: 'Mere', familyName: 'Parata', email: 'Mere.Parata@Home.example', relationship: 'parent' },
    { smsId: 'P2', givenName: 'Hone', familyName: 'Heke', relationship: 'guardian' },
    { smsId: 'P3', givenName: 'Rua', familyName: 'Kenana', email: 'rua@home.example', relationship: 'relative' },
  ];
  s.guardianLinks = [
    { guardianSmsId: 'P1', childSmsId: 'S0' },
    { guardianSmsId: 'P1', childSmsId: 'S1' },
    { guardianSmsId: 'P2', childSmsId: 'S2' },
    { guardianSmsId: 'P3', childSmsId: 'S3' },
  ];
  return s;
}

const user = (username: string) => [...sim.state.users.values()].find((u) => u.username === username);
const child = (n: number) => user(`syn${n}`)!.id;

describe('parents and guardians against the simulator', () => {
  it("makes parent accounts and assigns the role in each child's user context; a second run changes nothing", async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    const connection = connectionFor(sim, {
      parents: { enabled: true, roleId, relationships: ['parent', 'guardian'] },
      signIn: { auth: 'manual', emailPassword: true },
    });
    store = openTestStore(tempDir(), connection, school());

    const first = await upload(store, moodleAdapter(sim), connection);
    expect(first.outcome).toBe('partial'); // Hone has no email
    const mere = user('mere.parata@home.example');
    expect(mere).toMatchObject({ idnumber: 'classbridge-parent:P1', firstname: 'Mere', lastname: 'Parata' });
    expect(userContextRolesOf(sim.state, child(0))).toEqual([{ userid: mere!.id, roleid: roleId }]);
    expect(userContextRolesOf(sim.state, child(1))).toEqual([{ userid: mere!.id, roleid: roleId }]);
    // Hone: a planning error naming him, no account; Rua: a relative, not counted by the rule.
    expect(userContextRolesOf(sim.state, child(2))).toEqual([]);
    expect(userContextRolesOf(sim.state, child(3))).toEqual([]);
    expect(user('rua@home.example')).toBeUndefined();
    const errors = store.runs.listErrors({ connectionId: connection.id });
    expect(errors.map((e) => e.message).join('\n')).toContain('Guardian Hone Heke (P2) has no email address');
    // Nobody else is a student or staff member now: the guardians are not people.
    expect(store.snapshot.read().people.map((p) => p.smsId)).not.toContain('P1');

    const assignsBefore = sim.requestCount('core_role_assign_roles');
    const createsBefore = sim.requestCount('core_user_create_users');
    const second = await upload(store, moodleAdapter(sim), connection);
    expect(second.report?.parents).toMatchObject({ accountsCreated: 0, assigned: 0, unassigned: 0 });
    expect(sim.requestCount('core_role_assign_roles')).toBe(assignsBefore);
    expect(sim.requestCount('core_user_create_users')).toBe(createsBefore);
  });

  it('unassigns only the role ClassBridge assigned when the link goes, leaving one the admin made alone', async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    const snapshot = school();
    store = openTestStore(tempDir(), connection, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    const mere = user('mere.parata@home.example')!;
    // The admin gave Mere the role in S2's context by hand: not ClassBridge's to remove.
    sim.state.userContextRoles = [
      ...(sim.state.userContextRoles ?? []),
      { userid: mere.id, contextUserId: child(2), roleid: roleId },
    ];

    snapshot.guardianLinks = snapshot.guardianLinks!.filter((l) => l.childSmsId !== 'S1');
    store.snapshot.replace(snapshot, 'test');
    // 1 of 4 roles is over the rail's 10% on so small a school: approved, as the admin would.
    const result = await upload(store, moodleAdapter(sim), connection, { approveRemovals: true });
    expect(result.report?.parents).toMatchObject({ unassigned: 1, assigned: 0 });
    expect(userContextRolesOf(sim.state, child(0))).toEqual([{ userid: mere.id, roleid: roleId }]);
    expect(userContextRolesOf(sim.state, child(1))).toEqual([]);
    expect(userContextRolesOf(sim.state, child(2))).toEqual([{ userid: mere.id, roleid: roleId }]);
    expect(store.parents.applied(connection.id).roles.size).toBe(2); // S0 (Mere) and S3 (Rua)
  });

  it('leave-alone: a marked child keeps the role although the link went', async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    const snapshot = school();
    store = openTestStore(tempDir(), connection, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    const mere = user('mere.parata@home.example')!;
    store.leaveAlone.add(connection.id, 'person', 'S1');
    snapshot.guardianLinks = [];
    store.snapshot.replace(snapshot, 'test');
    await upload(store, moodleAdapter(sim), connection, { approveRemovals: true });
    expect(userContextRolesOf(sim.state, child(1))).toEqual([{ userid: mere.id, roleid: roleId }]);
    expect(userContextRolesOf(sim.state, child(0))).toEqual([]);
  });

  it('many unassignments are held by the safety rail like other removals', async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    const snapshot = school();
    store = openTestStore(tempDir(), connection, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    snapshot.guardianLinks = [];
    store.snapshot.replace(snapshot, 'test');
    const held = await upload(store, moodleAdapter(sim), connection);
    expect(held.outcome).toBe('held');
    expect(held.message).toContain('parent roles');
    expect(userContextRolesOf(sim.state, child(0))).toHaveLength(1);
    // Approved, the next upload takes exactly those roles away.
    expect(store.heldPlans.decide(held.heldPlan!.id, 'approved')?.state).toBe('approved');
    const approved = await upload(store, moodleAdapter(sim), connection);
    expect(approved.report?.parents).toMatchObject({ unassigned: 3 }); // Hone (no email) never had one
    expect(userContextRolesOf(sim.state, child(0))).toEqual([]);
    expect(store.parents.applied(connection.id).roles.size).toBe(0);
  });

  it('resumes after a crash between the role assignment and its journal without duplicates', async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    const dir = tempDir();
    store = openTestStore(dir, connection, school());
    // Crash right after the first parent-role assignment call returns (before it is journalled).
    const adapter = moodleAdapter(sim);
    const crashing = new Proxy(adapter, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop !== 'assignUserContextRoles' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          throw new SimulatedCrash('killed after core_role_assign_roles');
        };
      },
    });
    await expect(upload(store, crashing, connection)).rejects.toThrow(SimulatedCrash);
    store.close();
    store = openTestStore(dir, connection);
    expect(store.parents.applied(connection.id).roles.size).toBe(0);
    const resumed = await upload(store, moodleAdapter(sim), connection);
    expect(resumed.report?.parents).toMatchObject({ accountsCreated: 0, accountsLinked: 0, assigned: 3 });
    const parents = [...sim.state.users.values()].filter((u) => u.idnumber.startsWith('classbridge-parent:'));
    expect(parents.map((u) => u.username).sort()).toEqual(['mere.parata@home.example', 'rua@home.example']);
    expect(userContextRolesOf(sim.state, child(0))).toHaveLength(1);
    expect(store.parents.applied(connection.id).roles.size).toBe(3);
  });

  it('an account made before a crash is found by its idnumber, not made twice', async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    const dir = tempDir();
    store = openTestStore(dir, connection, school());
    let parentCreates = 0;
    const crashing = aroundWrites(moodleAdapter(sim), async (_n, method, call) => {
      const result = await call();
      // The upload's own createUsers is the first; the parents' the second.
      if (method === 'createUsers' && ++parentCreates === 2) throw new SimulatedCrash('killed after parent create');
      return result;
    });
    await expect(upload(store, crashing, connection)).rejects.toThrow(SimulatedCrash);
    store.close();
    store = openTestStore(dir, connection);
    const resumed = await upload(store, moodleAdapter(sim), connection);
    expect(resumed.report?.parents).toMatchObject({ accountsCreated: 0, accountsLinked: 2, assigned: 3 });
    expect([...sim.state.users.values()].filter((u) => u.username === 'mere.parata@home.example')).toHaveLength(1);
  });

  it('the dry run shows the first guardians with their children and account or error', () => {
    return (async () => {
      sim = await startMoodleSim();
      const roleId = addParentRole(sim.state);
      const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
      store = openTestStore(tempDir(), connection, school());
      const preview = previewUpload(store, connection, DEFAULT_SETTINGS);
      expect(preview.parents).toEqual([
        {
          key: 'P1',
          name: 'Mere Parata',
          username: 'mere.parata@home.example',
          children: [expect.any(String), expect.any(String)],
        },
        {
          key: 'P2',
          name: 'Hone Heke',
          children: [expect.any(String)],
          error: expect.stringContaining('has no email'),
        },
        { key: 'P3', name: 'Rua Kenana', username: 'rua@home.example', children: [expect.any(String)] },
      ]);
      expect(preview.counts).toMatchObject({ createParentUsers: 2, assignParentRoles: 3 });
      expect(preview.summary).toContain('Parents: create 2 parent account(s)');
    })();
  });

  it('a changed roleId moves every link to the new role (the old one unassigned with its own id)', async () => {
    sim = await startMoodleSim();
    const oldRole = addParentRole(sim.state);
    const newRole = addParentRole(sim.state, { shortname: 'caregiver' });
    const first = connectionFor(sim, { parents: { enabled: true, roleId: oldRole } });
    store = openTestStore(tempDir(), first, school());
    await upload(store, moodleAdapter(sim), first);
    const moved = connectionFor(sim, { parents: { enabled: true, roleId: newRole } });
    store.connections.save(moved);
    const result = await upload(store, moodleAdapter(sim), moved, { approveRemovals: true });
    expect(result.report?.parents).toMatchObject({ unassigned: 3, assigned: 3 });
    const mere = user('mere.parata@home.example')!;
    expect(userContextRolesOf(sim.state, child(0))).toEqual([{ userid: mere.id, roleid: newRole }]);
  });

  it("an LMS account with the guardian's email as username that ClassBridge did not make is not taken over", async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    const id = sim.state.sequences.user++; // as Moodle would number it, so later creates do not reuse it
    sim.state.users.set(id, seedUser({ id, username: 'mere.parata@home.example', firstname: 'M', lastname: 'P' }));
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    store = openTestStore(tempDir(), connection, school());
    await upload(store, moodleAdapter(sim), connection);
    expect(userContextRolesOf(sim.state, child(0))).toEqual([]);
    expect(sim.state.users.get(id)!.idnumber).toBe('');
    const error = store.runs.listErrors({ connectionId: connection.id }).find((e) => e.recordKey === 'P1');
    expect(error?.fix).toContain('classbridge-parent:P1');
  });

  it('an email changed in the SMS updates the parent account; the username stays what it was', async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    const snapshot = school();
    store = openTestStore(tempDir(), connection, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    snapshot.guardians!.find((g) => g.smsId === 'P1')!.email = 'mere@new.example';
    store.snapshot.replace(snapshot, 'test');
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.report?.parents).toMatchObject({ accountsUpdated: 1, accountsCreated: 0 });
    expect(user('mere.parata@home.example')).toMatchObject({ email: 'mere@new.example' });
    const again = await upload(store, moodleAdapter(sim), connection);
    expect(again.report?.parents).toMatchObject({ accountsUpdated: 0 });
  });

  it("Retry on a guardian's error sends only that guardian's account and roles", async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    const snapshot = school();
    store = openTestStore(tempDir(), connection, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    // Hone gets an email; meanwhile Mere's link to S1 went (not this retry's business).
    snapshot.guardians!.find((g) => g.smsId === 'P2')!.email = 'hone@home.example';
    snapshot.guardianLinks = snapshot.guardianLinks!.filter((l) => l.childSmsId !== 'S1');
    store.snapshot.replace(snapshot, 'test');
    const retry = await upload(store, moodleAdapter(sim), connection, {
      onlyRecord: { recordKind: 'person', recordKey: 'P2' },
    });
    expect(retry.report?.parents).toMatchObject({ accountsCreated: 1, assigned: 1, unassigned: 0 });
    expect(userContextRolesOf(sim.state, child(2))).toEqual([
      { userid: user('hone@home.example')!.id, roleid: roleId },
    ]);
    expect(userContextRolesOf(sim.state, child(1))).toHaveLength(1); // Mere keeps S1 until the whole upload
    const open = store.runs
      .listErrors({ connectionId: connection.id })
      .filter((e) => e.recordKey === 'P2' && !e.resolvedAt);
    expect(open).toEqual([]);
  });

  it('off by default: guardians in the snapshot make no account and no request', async () => {
    sim = await startMoodleSim();
    addParentRole(sim.state);
    const connection = connectionFor(sim);
    store = openTestStore(tempDir(), connection, school());
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('ok');
    expect(user('mere.parata@home.example')).toBeUndefined();
    expect(sim.requestCount('core_role_assign_roles')).toBe(0);
  });
});

describe('parents on a fresh site', () => {
  it('a role not assignable in user contexts: one clear error with the fix, the rest of the upload goes', async () => {
    sim = await startMoodleSim();
    // 5 is the student role: no standard role may be assigned in a user context.
    const connection = connectionFor(sim, { parents: { enabled: true, roleId: 5 } });
    store = openTestStore(tempDir(), connection, school());
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('partial');
    expect(user('syn0')).toBeDefined(); // the students went up
    const errors = store.runs.listErrors({ connectionId: connection.id });
    const roleErrors = errors.filter((e) => e.message.includes('role id 5'));
    expect(roleErrors).toHaveLength(1);
    expect(roleErrors[0]!.fix).toContain('Context types where this role may be assigned');
    expect(store.parents.applied(connection.id).roles.size).toBe(0);
  });

  it('the token lacks core_role_assign_roles: the fix says which functions to add; students still go up', async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    sim.revokeFunction(sim.token, 'core_role_assign_roles');
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    store = openTestStore(tempDir(), connection, school());
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('partial');
    expect(user('syn3')).toBeDefined();
    const errors = store.runs.listErrors({ connectionId: connection.id }).filter((e) => e.recordKind === 'connection');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fix).toContain('Add core_role_assign_roles and core_role_unassign_roles');
  });

  it('the token lacks moodle/role:assign: the fix names the capability', async () => {
    sim = await startMoodleSim();
    const roleId = addParentRole(sim.state);
    sim.revokeCapability(sim.token, 'moodle/role:assign');
    const connection = connectionFor(sim, { parents: { enabled: true, roleId } });
    store = openTestStore(tempDir(), connection, school());
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('partial');
    const errors = store.runs.listErrors({ connectionId: connection.id }).filter((e) => e.recordKind === 'connection');
    expect(errors.map((e) => e.fix).join(' ')).toContain('moodle/role:assign');
  });

  it('no roleId: refused where the mapping is parsed, with where to find it', async () => {
    sim = await startMoodleSim();
    expect(() => connectionFor(sim, { parents: { enabled: true } as never })).toThrow(/parent role's id/);
  });
});
