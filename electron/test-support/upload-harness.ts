// Test helpers for the apply tests (not a test itself): a synthetic school, a real store, the
// simulator, the real Moodle adapter, and adapter wrappers that crash or act between write calls.
import { join } from 'node:path';
import type { LmsAdapter } from '../../adapters/contract';
import { createMoodleAdapter } from '../../adapters/lms/moodle';
import { startMoodleSim, type MoodleSim } from '../../adapters/testing/moodle-sim';
import { DEFAULT_SETTINGS, LmsConnectionSchema, type LmsConnection, type Snapshot } from '../core/model';
import { openStore, type Store } from '../core/store/store';
import { WRITE_FUNCTIONS } from './kill-proxy';
import { runUpload, type RunUploadInput, type UploadRunResult } from '../core/sync/apply/run-upload';

export const CONNECTION_ID = 'moodle-sim';

/** `students` students in `courses` courses (each student in 2), one teacher in all, one class per course. */
export function syntheticSchool(students = 15, courses = 3): Snapshot {
  const snapshot: Snapshot = { people: [], courses: [], groups: [], enrolments: [] };
  for (let c = 0; c < courses; c++) {
    snapshot.courses.push({ smsId: `C${c}`, code: `SYN${c}-2026`, name: `Synthetic course ${c}` });
    snapshot.groups.push({ smsId: `G${c}`, courseSmsId: `C${c}`, name: `Class ${c}A` });
  }
  snapshot.people.push({
    smsId: 'T1',
    role: 'staff',
    givenName: 'Tina',
    familyName: 'Teacher',
    username: 'tteacher',
    email: 'tteacher@school.example',
    active: true,
  });
  for (let c = 0; c < courses; c++) {
    snapshot.enrolments.push({ personSmsId: 'T1', courseSmsId: `C${c}`, role: 'teacher', active: true });
  }
  for (let s = 0; s < students; s++) {
    snapshot.people.push({
      smsId: `S${s}`,
      role: 'student',
      givenName: `Given${s}`,
      familyName: `Family${s}`,
      username: `syn${s}`,
      email: `syn${s}@school.example`,
      active: true,
    });
    for (const c of [s % courses, (s + 1) % courses]) {
      snapshot.enrolments.push({
        personSmsId: `S${s}`,
        courseSmsId: `C${c}`,
        groupSmsIds: [`G${c}`],
        role: 'student',
        active: true,
      });
    }
  }
  return snapshot;
}

export function connectionFor(
  sim: Pick<MoodleSim, 'url'>,
  overrides: Partial<LmsConnection['mapping']> = {},
): LmsConnection {
  return LmsConnectionSchema.parse({
    id: CONNECTION_ID,
    kind: 'lms',
    provider: 'moodle',
    name: 'Simulated Moodle',
    url: sim.url,
    // Standard Moodle role ids: new courses have no participants to learn them from.
    mapping: { newCourseCategoryId: 1, roleIds: { student: 5, editingteacher: 3 }, ...overrides },
  });
}

/** Opens (or reopens, as after a restart) the store in `dir`; seeds the connection and, if given, the snapshot. */
export function openTestStore(dir: string, connection: LmsConnection, snapshot?: Snapshot): Store {
  const store = openStore({ file: join(dir, 'classbridge.db') });
  if (!store.connections.get(connection.id)) store.connections.save(connection);
  if (snapshot) store.snapshot.replace(snapshot, 'test');
  return store;
}

export function moodleAdapter(sim: MoodleSim, token = sim.token): LmsAdapter {
  return createMoodleAdapter({ url: sim.url, token, roleIds: { student: 5, editingteacher: 3 }, backoffMs: 1 });
}

export const WRITE_METHODS = [
  'createUsers',
  'updateUsers',
  'suspendUsers',
  'createCourses',
  'updateCourses',
  'enrol',
  'unenrol',
  'createGroups',
  'addGroupMembers',
] as const;

export function writeRequests(sim: MoodleSim): number {
  return [...WRITE_FUNCTIONS].reduce((n, f) => n + sim.requestCount(f), 0);
}

/**
 * The adapter with a hook around every write call: `around(n, method, call)` runs the n-th write
 * (1-based) and may throw before or after it.
 */
export function aroundWrites(
  adapter: LmsAdapter,
  around: (n: number, method: string, call: () => Promise<unknown>) => Promise<unknown>,
): LmsAdapter {
  let n = 0;
  const writes = new Set<string>(WRITE_METHODS);
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      if (typeof prop !== 'string' || !writes.has(prop)) return fn.bind(target);
      return (...args: unknown[]) => around(++n, prop, () => fn.apply(target, args));
    },
  });
}

export class SimulatedCrash extends Error {}

export function upload(
  store: Store,
  adapter: LmsAdapter,
  connection: LmsConnection,
  extra: Partial<RunUploadInput> = {},
): Promise<UploadRunResult> {
  return runUpload({
    adapter,
    store,
    connection,
    settings: DEFAULT_SETTINGS,
    trigger: 'manual',
    planOptions: { allowCourseCreation: true },
    ...extra,
  });
}

/** What the LMS holds for the school, as sorted strings: users, enrolments (with role), group members. */
export function lmsView(
  sim: MoodleSim,
  snapshot: Snapshot,
): { users: string[]; enrolments: string[]; members: string[]; courses: string[] } {
  const s = sim.state;
  const usernames = new Set(snapshot.people.map((p) => p.username));
  const codes = new Set(snapshot.courses.map((c) => c.code));
  const users = [...s.users.values()].filter((u) => !u.deleted && usernames.has(u.username));
  const byId = new Map(users.map((u) => [u.id, u]));
  const courses = [...s.courses.values()].filter((c) => codes.has(c.shortname));
  const courseById = new Map(courses.map((c) => [c.id, c]));
  const enrolments: string[] = [];
  for (const ue of s.userEnrolments) {
    const inst = s.enrolInstances.get(ue.enrolid);
    const user = byId.get(ue.userid);
    const course = inst ? courseById.get(inst.courseid) : undefined;
    if (!user || !course) continue;
    const roles = s.roleAssignments
      .filter((r) => r.userid === user.id && r.courseid === course.id)
      .map((r) => s.roles.get(r.roleid)?.shortname)
      .sort()
      .join('+');
    enrolments.push(`${user.username}@${course.shortname}:${roles}:${ue.status === 0 ? 'active' : 'suspended'}`);
  }
  const members: string[] = [];
  for (const g of s.groups.values()) {
    const course = courseById.get(g.courseid);
    if (!course) continue;
    for (const m of g.members) members.push(`${byId.get(m)?.username ?? `#${m}`}@${course.shortname}/${g.name}`);
  }
  return {
    users: users
      .map((u) => `${u.username}:${u.firstname} ${u.lastname}:${u.suspended ? 'suspended' : 'active'}`)
      .sort(),
    enrolments: enrolments.sort(),
    members: members.sort(),
    courses: courses.map((c) => c.shortname).sort(),
  };
}

export { startMoodleSim, type MoodleSim };

/** A simulated Moodle, a connection to it and a store holding a synthetic school: what most sync tests start from. */
export interface SimulatedSchool {
  sim: MoodleSim;
  store: Store;
  connection: LmsConnection;
  school: Snapshot;
}

export async function startSimulatedSchool(dir: string, students = 15, courses = 3): Promise<SimulatedSchool> {
  const sim = await startMoodleSim();
  const connection = connectionFor(sim);
  const school = syntheticSchool(students, courses);
  return { sim, store: openTestStore(dir, connection, school), connection, school };
}

export async function stopSimulatedSchool({ sim, store }: Pick<SimulatedSchool, 'sim' | 'store'>): Promise<void> {
  store.close();
  await sim.close();
}
