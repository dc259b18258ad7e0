/**
 * core_role_assign_roles / core_role_unassign_roles in a user context, as Moodle 5.x does them
 * (enrol/externallib.php core_role_external, external_api::get_context_from_params, lib/accesslib.php
 * role_assign / role_unassign): see functions/role-assign.ts for each rule and where it comes from.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { addParentRole, seedUser, startMoodleSim, userContextRolesOf, type MoodleSim } from './index';
import { callSim } from './test-support';

let sim: MoodleSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Two users (a parent and a child) added to the default site. */
function family(s: MoodleSim): { parent: number; child: number } {
  // Numbered from the user sequence, as Moodle does, so no later create reuses the ids.
  const parent = s.state.sequences.user++;
  const child = s.state.sequences.user++;
  for (const [id, username] of [
    [parent, 'mere.parata@example.invalid'],
    [child, 'aroha'],
  ] as const)
    s.state.users.set(id, seedUser({ id, username, firstname: 'F', lastname: String(id) }));
  return { parent, child };
}

describe('core_role_assign_roles in a user context', () => {
  test('Moodle assigns a role whose context types include User, once however often it is sent', async () => {
    sim = await startMoodleSim();
    const roleid = addParentRole(sim.state);
    const { parent, child } = family(sim);
    const item = { roleid, userid: parent, contextlevel: 'user', instanceid: child };
    expect(await callSim(sim, 'core_role_assign_roles', { assignments: [item] })).toBeNull();
    expect(await callSim(sim, 'core_role_assign_roles', { assignments: [item] })).toBeNull();
    expect(userContextRolesOf(sim.state, child)).toEqual([{ userid: parent, roleid }]);
  });

  test('Moodle refuses a standard role (none has the User context level): the whole call rolls back', async () => {
    sim = await startMoodleSim({ debug: true });
    const roleid = addParentRole(sim.state);
    const { parent, child } = family(sim);
    const student = [...sim.state.roles.values()].find((r) => r.shortname === 'student')!.id;
    const answer = await callSim(sim, 'core_role_assign_roles', {
      assignments: [
        { roleid, userid: parent, contextlevel: 'user', instanceid: child },
        { roleid: student, userid: parent, contextlevel: 'user', instanceid: child },
      ],
    });
    // $assignment['contextid'] is quoted although the item gave contextlevel + instanceid: it is empty.
    expect(answer).toMatchObject({
      errorcode: 'invalidparameter',
      debuginfo: `Can not assign roleid=${student} in contextid=`,
    });
    expect(userContextRolesOf(sim.state, child)).toEqual([]);
  });

  test('production shows only "Invalid parameter value detected" for the refusal', async () => {
    sim = await startMoodleSim();
    const { parent, child } = family(sim);
    const answer = await callSim(sim, 'core_role_assign_roles', {
      assignments: [{ roleid: 5, userid: parent, contextlevel: 'user', instanceid: child }],
    });
    expect(answer).toEqual({
      exception: 'core\\exception\\invalid_parameter_exception',
      errorcode: 'invalidparameter',
      message: 'Invalid parameter value detected',
    });
  });

  test('without moodle/role:assign Moodle answers nopermissions naming "Assign roles to users"', async () => {
    sim = await startMoodleSim();
    const roleid = addParentRole(sim.state);
    const { parent, child } = family(sim);
    sim.revokeCapability(sim.token, 'moodle/role:assign');
    const answer = await callSim(sim, 'core_role_assign_roles', {
      assignments: [{ roleid, userid: parent, contextlevel: 'user', instanceid: child }],
    });
    expect(answer).toMatchObject({
      errorcode: 'nopermissions',
      message: 'Sorry, but you do not currently have permissions to do that (Assign roles to users).',
    });
  });

  test('an unknown child is "Context does not exist"; an unknown assignee is role_assign\'s coding error', async () => {
    sim = await startMoodleSim({ debug: true });
    const roleid = addParentRole(sim.state);
    const { parent, child } = family(sim);
    expect(
      await callSim(sim, 'core_role_assign_roles', {
        assignments: [{ roleid, userid: parent, contextlevel: 'user', instanceid: 999999 }],
      }),
    ).toMatchObject({ errorcode: 'invalidparameter', debuginfo: 'Context does not exist' });
    expect(
      await callSim(sim, 'core_role_assign_roles', {
        assignments: [{ roleid, userid: 999999, contextlevel: 'user', instanceid: child }],
      }),
    ).toMatchObject({
      errorcode: 'codingerror',
      message: 'Coding error detected, it must be fixed by a programmer: User ID does not exist or is deleted!',
    });
  });

  test('context parameters: a level name is required (PARAM_ALPHA), and one of contextid or level + instance', async () => {
    sim = await startMoodleSim({ debug: true });
    const roleid = addParentRole(sim.state);
    const { parent, child } = family(sim);
    const call = (extra: Record<string, string | number>) =>
      callSim(sim!, 'core_role_assign_roles', { assignments: [{ roleid, userid: parent, ...extra }] });
    expect(await call({ contextlevel: 'planet', instanceid: child })).toMatchObject({
      debuginfo: 'Invalid context level = planet',
    });
    expect(await call({ instanceid: child })).toMatchObject({
      debuginfo: 'Missing parameters, please provide either context level with instance id or contextid',
    });
    // 30 is CONTEXT_USER's number, but PARAM_ALPHA refuses digits before the function runs.
    expect(await call({ contextlevel: '30', instanceid: child })).toMatchObject({ errorcode: 'invalidparameter' });
    expect(await call({ contextlevel: 'user', instanceid: child, colour: 'red' })).toMatchObject({
      errorcode: 'invalidparameter',
    });
    expect(userContextRolesOf(sim.state, child)).toEqual([]);
  });

  test('a contextid learnt from an earlier assignment names the same user context', async () => {
    sim = await startMoodleSim();
    const roleid = addParentRole(sim.state);
    const { parent, child } = family(sim);
    await callSim(sim, 'core_role_assign_roles', {
      assignments: [{ roleid, userid: parent, contextlevel: 'user', instanceid: child }],
    });
    const contextid = sim.state.userContexts!.get(child)!;
    expect(
      await callSim(sim, 'core_role_unassign_roles', { unassignments: [{ roleid, userid: parent, contextid }] }),
    ).toBeNull();
    expect(userContextRolesOf(sim.state, child)).toEqual([]);
  });
});

describe('core_role_unassign_roles in a user context', () => {
  test('Moodle removes that role only, and unassigning what is not assigned is no error', async () => {
    sim = await startMoodleSim();
    const roleid = addParentRole(sim.state);
    const other = addParentRole(sim.state, { shortname: 'mentor' });
    const { parent, child } = family(sim);
    await callSim(sim, 'core_role_assign_roles', {
      assignments: [
        { roleid, userid: parent, contextlevel: 'user', instanceid: child },
        { roleid: other, userid: parent, contextlevel: 'user', instanceid: child },
      ],
    });
    const item = { roleid, userid: parent, contextlevel: 'user', instanceid: child };
    expect(await callSim(sim, 'core_role_unassign_roles', { unassignments: [item] })).toBeNull();
    expect(await callSim(sim, 'core_role_unassign_roles', { unassignments: [item] })).toBeNull();
    expect(userContextRolesOf(sim.state, child)).toEqual([{ userid: parent, roleid: other }]);
  });

  test('a role not assignable there is refused as "Can not unassign"', async () => {
    sim = await startMoodleSim({ debug: true });
    const { parent, child } = family(sim);
    expect(
      await callSim(sim, 'core_role_unassign_roles', {
        unassignments: [{ roleid: 5, userid: parent, contextlevel: 'user', instanceid: child }],
      }),
    ).toMatchObject({ errorcode: 'invalidparameter', debuginfo: 'Can not unassign roleid=5 in contextid=' });
  });
});
