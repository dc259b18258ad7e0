/**
 * Fidelity: the core_cohort_* functions as Moodle 5.x's cohort/externallib.php does them (see
 * functions/cohorts.ts). Each test says what Moodle does and checks the simulator does the same.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { callSim } from './test-support';

let sim: MoodleSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const system = { type: 'system', value: '' };
const cohort = (idnumber: string, name = idnumber) => ({ categorytype: system, name, idnumber });
const member = (cohortId: number, userId: number) => ({
  cohorttype: { type: 'id', value: String(cohortId) },
  usertype: { type: 'id', value: String(userId) },
});

async function create(s: MoodleSim, ...cohorts: ReturnType<typeof cohort>[]): Promise<{ id: number }[]> {
  return (await callSim(s, 'core_cohort_create_cohorts', { cohorts })) as { id: number }[];
}

describe('core_cohort_create_cohorts', () => {
  test('Moodle creates site cohorts and answers id, name, idnumber, description, descriptionformat, visible, theme ("" with cohort themes off)', async () => {
    sim = await startMoodleSim();
    const answer = await callSim(sim, 'core_cohort_create_cohorts', {
      cohorts: [cohort('classbridge:yearLevel:10', 'Year 10'), cohort('classbridge:yearLevel:11', 'Year 11')],
    });
    expect(answer).toEqual([
      {
        id: 1,
        name: 'Year 10',
        idnumber: 'classbridge:yearLevel:10',
        description: '',
        descriptionformat: 1,
        visible: true,
        theme: '',
      },
      {
        id: 2,
        name: 'Year 11',
        idnumber: 'classbridge:yearLevel:11',
        description: '',
        descriptionformat: 1,
        visible: true,
        theme: '',
      },
    ]);
    expect(sim.state.cohorts.get(1)).toMatchObject({ categoryid: null, members: [] });
  });

  test('Moodle refuses a duplicate idnumber (invalid_parameter_exception, the reason only in debuginfo) and rolls back the whole call', async () => {
    sim = await startMoodleSim();
    await create(sim, cohort('dup'));
    const answer = await callSim(sim, 'core_cohort_create_cohorts', { cohorts: [cohort('fresh'), cohort('dup')] });
    expect(answer).toEqual({
      exception: 'core\\exception\\invalid_parameter_exception',
      errorcode: 'invalidparameter',
      message: 'Invalid parameter value detected',
    });
    expect([...sim.state.cohorts.values()].map((c) => c.idnumber)).toEqual(['dup']);
  });

  test('with debugging on, the duplicate is named: "record already exists: idnumber=…"', async () => {
    sim = await startMoodleSim({ debug: true });
    await create(sim, cohort('dup'));
    const answer = await callSim(sim, 'core_cohort_create_cohorts', { cohorts: [cohort('dup')] });
    expect(answer).toMatchObject({ errorcode: 'invalidparameter', debuginfo: 'record already exists: idnumber=dup' });
  });

  test('Moodle takes categorytype id / idnumber / system, refuses another type and a category that does not exist', async () => {
    sim = await startMoodleSim({ debug: true });
    const inCategory = await callSim(sim, 'core_cohort_create_cohorts', {
      cohorts: [{ categorytype: { type: 'id', value: '2' }, name: 'Sci', idnumber: 'sci' }],
    });
    expect(inCategory).toMatchObject([{ idnumber: 'sci' }]);
    expect([...sim.state.cohorts.values()][0]).toMatchObject({ categoryid: 2 });
    expect(
      await callSim(sim, 'core_cohort_create_cohorts', {
        cohorts: [{ categorytype: { type: 'name', value: 'x' }, name: 'n', idnumber: 'n' }],
      }),
    ).toMatchObject({ debuginfo: 'category type must be id, idnumber or system:name' });
    expect(
      await callSim(sim, 'core_cohort_create_cohorts', {
        cohorts: [{ categorytype: { type: 'id', value: '999' }, name: 'n', idnumber: 'n' }],
      }),
    ).toMatchObject({ debuginfo: 'category not exists: category id = 999' });
  });

  test('Moodle requires moodle/cohort:manage (required_capability_exception naming "Create, delete and move cohorts")', async () => {
    sim = await startMoodleSim();
    sim.revokeCapability(sim.token, 'moodle/cohort:manage');
    expect(await callSim(sim, 'core_cohort_create_cohorts', { cohorts: [cohort('x')] })).toEqual({
      exception: 'core\\exception\\required_capability_exception',
      errorcode: 'nopermissions',
      message: 'Sorry, but you do not currently have permissions to do that (Create, delete and move cohorts).',
    });
    expect(sim.state.cohorts.size).toBe(0);
  });

  test('Moodle refuses unknown parameters (invalidparameter)', async () => {
    sim = await startMoodleSim();
    const answer = await callSim(sim, 'core_cohort_create_cohorts', { cohorts: [{ ...cohort('x'), colour: 'red' }] });
    expect(answer).toMatchObject({ errorcode: 'invalidparameter' });
  });

  test('a token whose service lacks the function gets accessexception', async () => {
    sim = await startMoodleSim();
    sim.revokeFunction(sim.token, 'core_cohort_create_cohorts');
    expect(await callSim(sim, 'core_cohort_create_cohorts', { cohorts: [cohort('x')] })).toMatchObject({
      errorcode: 'accessexception',
    });
  });
});

describe('core_cohort_add_cohort_members', () => {
  test('Moodle adds members and answers warnings, not errors, for an unknown cohort or user (code 2), a bad type (1) and an existing member (3)', async () => {
    sim = await startMoodleSim();
    const [c] = await create(sim, cohort('c1'));
    const answer = await callSim(sim, 'core_cohort_add_cohort_members', {
      members: [
        member(c!.id, 7),
        member(c!.id, 7),
        member(999, 8),
        member(c!.id, 9999),
        { cohorttype: { type: 'name', value: 'x' }, usertype: { type: 'id', value: '8' } },
        { cohorttype: { type: 'idnumber', value: 'c1' }, usertype: { type: 'username', value: 's1002' } },
      ],
    });
    expect(answer).toEqual({
      warnings: [
        { warningcode: '3', message: `record already exists: cohort(id=${c!.id} id=7)` },
        { warningcode: '2', message: 'cohort id=999 not exists' },
        { warningcode: '2', message: 'user id=9999 not exists' },
        { warningcode: '1', message: 'invalid parameter: cohortype=name' },
      ],
    });
    const s1002 = [...sim.state.users.values()].find((u) => u.username === 's1002')!;
    expect(sim.state.cohorts.get(c!.id)!.members).toEqual([7, s1002.id]);
  });

  test('Moodle requires moodle/cohort:assign (or :manage): without both the call throws and nothing is added', async () => {
    sim = await startMoodleSim();
    const [c] = await create(sim, cohort('c1'));
    sim.revokeCapability(sim.token, 'moodle/cohort:manage');
    sim.revokeCapability(sim.token, 'moodle/cohort:assign');
    expect(await callSim(sim, 'core_cohort_add_cohort_members', { members: [member(c!.id, 7)] })).toEqual({
      exception: 'core\\exception\\required_capability_exception',
      errorcode: 'nopermissions',
      message: 'Sorry, but you do not currently have permissions to do that (Add and remove cohort members).',
    });
    expect(sim.state.cohorts.get(c!.id)!.members).toEqual([]);
    // :assign alone is enough.
    sim.grantCapability(sim.token, 'moodle/cohort:assign');
    expect(await callSim(sim, 'core_cohort_add_cohort_members', { members: [member(c!.id, 7)] })).toEqual({
      warnings: [],
    });
  });
});

describe('core_cohort_delete_cohort_members', () => {
  test('Moodle removes members (a non-member silently) and answers null', async () => {
    sim = await startMoodleSim();
    const [c] = await create(sim, cohort('c1'));
    await callSim(sim, 'core_cohort_add_cohort_members', { members: [member(c!.id, 7), member(c!.id, 8)] });
    expect(
      await callSim(sim, 'core_cohort_delete_cohort_members', {
        members: [
          { cohortid: c!.id, userid: 7 },
          { cohortid: c!.id, userid: 9 },
        ],
      }),
    ).toBeNull();
    expect(sim.state.cohorts.get(c!.id)!.members).toEqual([8]);
  });

  test('Moodle refuses an unknown cohort or user (dml_missing_record_exception) and rolls the call back', async () => {
    sim = await startMoodleSim();
    const [c] = await create(sim, cohort('c1'));
    await callSim(sim, 'core_cohort_add_cohort_members', { members: [member(c!.id, 7)] });
    const answer = await callSim(sim, 'core_cohort_delete_cohort_members', {
      members: [
        { cohortid: c!.id, userid: 7 },
        { cohortid: 999, userid: 7 },
      ],
    });
    expect(answer).toEqual({
      exception: 'dml_missing_record_exception',
      errorcode: 'invalidrecordunknown',
      message: "Can't find data record in database.",
    });
    expect(sim.state.cohorts.get(c!.id)!.members).toEqual([7]);
  });
});

describe('core_cohort_get_cohorts and core_cohort_get_cohort_members', () => {
  test('Moodle lists every cohort when no ids are given, members ordered by last name', async () => {
    sim = await startMoodleSim();
    const [c] = await create(sim, cohort('c1', 'One'));
    await callSim(sim, 'core_cohort_add_cohort_members', { members: [member(c!.id, 8), member(c!.id, 7)] });
    expect(await callSim(sim, 'core_cohort_get_cohorts')).toEqual([
      {
        id: c!.id,
        name: 'One',
        idnumber: 'c1',
        description: '',
        descriptionformat: 1,
        visible: true,
        theme: '',
        customfields: [],
      },
    ]);
    const users = [7, 8].map((id) => sim!.state.users.get(id)!);
    const ordered = [...users].sort((a, b) => a.lastname.localeCompare(b.lastname)).map((u) => u.id);
    expect(await callSim(sim, 'core_cohort_get_cohort_members', { cohortids: [c!.id] })).toEqual([
      { cohortid: c!.id, userids: ordered },
    ]);
  });

  test('reading needs moodle/cohort:view or :manage', async () => {
    sim = await startMoodleSim();
    await create(sim, cohort('c1'));
    sim.revokeCapability(sim.token, 'moodle/cohort:manage');
    sim.revokeCapability(sim.token, 'moodle/cohort:view');
    expect(await callSim(sim, 'core_cohort_get_cohorts')).toMatchObject({
      errorcode: 'nopermissions',
      message: 'Sorry, but you do not currently have permissions to do that (View site-wide cohorts).',
    });
  });
});
