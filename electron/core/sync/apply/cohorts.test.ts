import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import {
  moodleAdapter,
  SimulatedCrash,
  syntheticSchool,
  upload,
  useFreshSite,
} from '../../../test-support/upload-harness';
import { DEFAULT_SETTINGS, type Snapshot } from '../../model';
import { CohortStateRepository } from '../../store/repositories/cohort-state-repository';
import { previewUpload } from '../upload/preview-upload';
import type { MoodleSim } from '../../../test-support/upload-harness';

const tempDir = useTempDirs();
const site = useFreshSite(tempDir);

/** Six students, years 9/10 alternating, houses Kauri/Rimu by thirds; the teacher has neither. */
function school(): Snapshot {
  const s = syntheticSchool(6, 2);
  s.people.forEach((p, i) => {
    if (p.role === 'student') p.extra = { yearLevel: i % 2 === 0 ? '10' : '9', house: i <= 3 ? 'Kauri' : 'Rimu' };
  });
  return s;
}

const yearRule = { rules: [{ from: 'yearLevel', name: 'Year {value}', roles: ['student' as const] }] };

/** Cohort name → usernames of its members, as the LMS holds them. */
function cohortsIn(sim: MoodleSim): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of sim.state.cohorts.values())
    out[`${c.name} [${c.idnumber}]`] = c.members.map((id) => sim.state.users.get(id)!.username).sort();
  return out;
}

describe('cohorts on a fresh site, over HTTP with a real store', () => {
  it('makes one cohort per year level with its students; a second upload sends nothing; the dry run names them', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open({ cohorts: yearRule }, snapshot);
    const dry = previewUpload(store, connection, DEFAULT_SETTINGS);
    expect(dry.counts).toMatchObject({ createCohorts: 2, addCohortMembers: 6 });
    expect(dry.cohorts?.[0]).toEqual({ key: 'S0', name: expect.any(String), cohorts: ['Year 9'] });

    const first = await upload(store, moodleAdapter(sim), connection);
    expect(first.outcome).toBe('ok');
    const students = snapshot.people.filter((p) => p.role === 'student');
    const names = (year: string) =>
      students
        .filter((p) => p.extra?.yearLevel === year)
        .map((p) => p.username!)
        .sort();
    expect(cohortsIn(sim)).toEqual({
      'Year 9 [classbridge:yearLevel:9]': names('9'),
      'Year 10 [classbridge:yearLevel:10]': names('10'),
    });
    const second = await upload(store, moodleAdapter(sim), connection);
    expect(second.planned).toMatchObject({ createCohorts: 0, addCohortMembers: 0, removeCohortMembers: 0 });
  });

  it('a student who moves year leaves the cohort ClassBridge put them in; a member added by hand and a cohort ClassBridge did not make are untouched', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open({ cohorts: yearRule }, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    // Someone else's cohort, and the teacher added by hand to Year 9.
    sim.state.cohorts.set(99, {
      id: 99,
      categoryid: null,
      name: 'Staff room',
      idnumber: 'staffroom',
      description: '',
      descriptionformat: 1,
      visible: true,
      members: [7],
    });
    const teacher = [...sim.state.users.values()].find((u) => u.username === 'tteacher')!;
    const year9 = [...sim.state.cohorts.values()].find((c) => c.idnumber === 'classbridge:yearLevel:9')!;
    sim.state.cohorts.set(year9.id, { ...year9, members: [...year9.members, teacher.id] });

    const mover = snapshot.people.find((p) => p.smsId === 'S0')!;
    mover.extra = { ...mover.extra, yearLevel: '10' };
    store.snapshot.replace(snapshot, 'test');
    // One of six memberships is over the safety rail's 10% in a school this small: approved here.
    const result = await upload(store, moodleAdapter(sim), connection, { approveRemovals: true });
    expect(result.planned).toMatchObject({ addCohortMembers: 1, removeCohortMembers: 1 });
    const view = cohortsIn(sim);
    expect(view['Year 9 [classbridge:yearLevel:9]']).toContain('tteacher');
    expect(view['Year 9 [classbridge:yearLevel:9]']).not.toContain(mover.username);
    expect(view['Year 10 [classbridge:yearLevel:10]']).toContain(mover.username);
    expect(sim.state.cohorts.get(99)!.members).toEqual([7]);
  });

  it('removal policy keep: nobody is taken out', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open({ cohorts: yearRule, removalPolicy: 'keep' }, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    snapshot.people.find((p) => p.smsId === 'S0')!.extra!.yearLevel = '10';
    store.snapshot.replace(snapshot, 'test');
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.planned).toMatchObject({ addCohortMembers: 1, removeCohortMembers: 0 });
  });

  it('a left-alone person gets no cohort change', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open({ cohorts: yearRule }, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    store.leaveAlone.add(connection.id, 'person', 'S0');
    snapshot.people.find((p) => p.smsId === 'S0')!.extra!.yearLevel = '10';
    store.snapshot.replace(snapshot, 'test');
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.planned).toMatchObject({ addCohortMembers: 0, removeCohortMembers: 0 });
  });

  it('a mass removal is held for approval by the safety rail', async () => {
    const snapshot = syntheticSchool(60, 2);
    snapshot.people.forEach((p) => {
      if (p.role === 'student') p.extra = { house: 'Kauri' };
    });
    const rule = { rules: [{ from: 'house', name: '{value} House', roles: ['student' as const] }] };
    const { sim, store, connection } = await site.open({ cohorts: rule }, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    // The house column went missing from the export: everyone would leave the cohort.
    snapshot.people.forEach((p) => delete p.extra);
    store.snapshot.replace(snapshot, 'test');
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('held');
    expect(result.removals.message).toContain('cohort memberships');
    expect([...sim.state.cohorts.values()][0]!.members).toHaveLength(60);
  });

  it('resumes after a stop: a cohort the LMS already has under its idnumber is taken, not made twice', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open({ cohorts: yearRule }, snapshot);
    // As if an earlier apply made Year 9 and stopped before recording it.
    sim.state.cohorts.set(1, {
      id: 1,
      categoryid: null,
      name: 'Year 9',
      idnumber: 'classbridge:yearLevel:9',
      description: '',
      descriptionformat: 1,
      visible: true,
      members: [],
    });
    sim.state.sequences.cohort = 2;
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('ok');
    expect([...sim.state.cohorts.values()].map((c) => c.idnumber).sort()).toEqual([
      'classbridge:yearLevel:10',
      'classbridge:yearLevel:9',
    ]);
    expect(new CohortStateRepository(store.db).read(connection.id).cohorts.get('classbridge:yearLevel:9')).toEqual({
      lmsId: 1,
      name: 'Year 9',
    });
  });

  it('a crash after Moodle made the cohorts or added the members, before ClassBridge recorded it: the next upload resumes with no duplicate', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open({ cohorts: yearRule }, snapshot);
    for (const method of ['createCohorts', 'addCohortMembers'] as const) {
      // The LMS does the write, then the process dies before the batch's outcome is journalled.
      const crashing = new Proxy(moodleAdapter(sim), {
        get(target, prop, receiver) {
          const value: unknown = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          if (prop !== method) return (value as (...a: unknown[]) => unknown).bind(target);
          return async (...args: unknown[]) => {
            await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            throw new SimulatedCrash(`crash after ${method}`);
          };
        },
      });
      await expect(upload(store, crashing, connection)).rejects.toThrow(SimulatedCrash);
    }
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('ok');
    const view = cohortsIn(sim);
    expect(Object.keys(view)).toHaveLength(2);
    for (const members of Object.values(view)) expect(new Set(members).size).toBe(members.length);
    expect(Object.values(view).flat()).toHaveLength(6);
    const again = await upload(store, moodleAdapter(sim), connection);
    expect(again.planned).toMatchObject({ createCohorts: 0, addCohortMembers: 0 });
  });

  it('a cohort deleted in Moodle by hand: the add that finds it gone fails with the reason, and the next upload makes it again', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open({ cohorts: yearRule }, snapshot);
    await upload(store, moodleAdapter(sim), connection);
    const year10 = [...sim.state.cohorts.values()].find((c) => c.idnumber === 'classbridge:yearLevel:10')!;
    sim.state.cohorts.delete(year10.id);
    snapshot.people.find((p) => p.smsId === 'S0')!.extra!.yearLevel = '10';
    store.snapshot.replace(snapshot, 'test');
    const first = await upload(store, moodleAdapter(sim), connection, { approveRemovals: true });
    expect(first.outcome).toBe('partial');
    const [error] = store.runs.listErrors({ connectionId: connection.id });
    expect(error?.message).toContain(`cohort id=${year10.id} not exists`);
    expect(error?.fix).toContain('makes it again on the next upload');
    const second = await upload(store, moodleAdapter(sim), connection);
    expect(second.outcome).toBe('ok');
    const remade = [...sim.state.cohorts.values()].find((c) => c.idnumber === 'classbridge:yearLevel:10')!;
    expect(remade.id).not.toBe(year10.id);
    expect(remade.members).toHaveLength(4);
  });

  it('a service without the cohort functions: a clear error naming the function to add, and the rest of the upload goes', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open({ cohorts: yearRule }, snapshot);
    sim.revokeFunction(sim.token, 'core_cohort_get_cohorts');
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('partial');
    const errors = store.runs.listErrors({ connectionId: connection.id });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fix).toContain('core_cohort_get_cohorts');
    expect(errors[0]!.fix).toContain('External services');
    // Users, courses and enrolments still went up.
    expect([...sim.state.users.values()].some((u) => u.username === 'tteacher')).toBe(true);
    expect(sim.state.userEnrolments.length).toBeGreaterThan(0);
    expect(sim.state.cohorts.size).toBe(0);
  });

  it('a role without moodle/cohort:manage: the error names the capability, and the rest goes', async () => {
    const snapshot = school();
    const { sim, store, connection } = await site.open({ cohorts: yearRule }, snapshot);
    sim.revokeCapability(sim.token, 'moodle/cohort:manage');
    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('partial');
    const errors = store.runs.listErrors({ connectionId: connection.id });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fix).toContain('moodle/cohort:manage');
    expect(sim.state.userEnrolments.length).toBeGreaterThan(0);
  });
});
