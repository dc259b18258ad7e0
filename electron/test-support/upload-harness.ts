// Test helpers for the apply tests (not a test itself): a synthetic school, a real store, the
// simulator, the real Moodle adapter, and adapter wrappers that crash or act between write calls.
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { silentLogger, type LmsAdapter } from '../../adapters/contract';
import { createMoodleAdapter } from '../../adapters/lms/moodle';
import { startMoodleSim, type MoodleSim } from '../../adapters/testing/moodle-sim';
import { DEFAULT_SETTINGS, LmsConnectionSchema, type LmsConnection, type Snapshot } from '../core/model';
import { MemorySecretStore } from '../core/secrets';
import { openStore, type Store } from '../core/store/store';
import type { PartRunDeps } from '../core/sync/run-part';
import { WRITE_FUNCTIONS } from './kill-proxy';
import { makeSnapshot, type SyntheticNames } from './synthetic-snapshot';
import { runUpload, type RunUploadInput, type UploadRunResult } from '../core/sync/apply/run-upload';

export const CONNECTION_ID = 'moodle-sim';

/** The apply tests' names (their assertions use them: `syn0`, `SYN0-2026`). */
const SYNTHETIC_NAMES: SyntheticNames = {
  courseCode: (c) => `SYN${c}-2026`,
  courseName: (c) => `Synthetic course ${c}`,
  groupName: (c) => `Class ${c}A`,
  username: (s) => `syn${s}`,
  email: (s) => `syn${s}@school.example`,
};

/** `students` students in `courses` courses (each student in 2), one teacher in all, one class per course. */
export function syntheticSchool(students = 15, courses = 3): Snapshot {
  const snapshot = makeSnapshot(students, courses, 2, SYNTHETIC_NAMES);
  // The teacher comes first (people and enrolments), as the apply tests' LMS ids and orders expect.
  snapshot.people.unshift({
    smsId: 'T1',
    role: 'staff',
    givenName: 'Tina',
    familyName: 'Teacher',
    username: 'tteacher',
    email: 'tteacher@school.example',
    active: true,
  });
  snapshot.enrolments.unshift(
    ...snapshot.courses.map((c) => ({ personSmsId: 'T1', courseSmsId: c.smsId, role: 'teacher', active: true })),
  );
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
  'copyCourse',
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

/**
 * What the engine's part runner needs against a simulated Moodle: a store in `dataDir` holding LMS
 * connection `id` ("School Moodle", nothing imported yet) and the sim's token in the secret store.
 */
export async function startPartRunMoodle(
  dataDir: string,
  id: string,
): Promise<{ sim: MoodleSim; store: Store; deps: PartRunDeps }> {
  const sim = await startMoodleSim();
  const store = openTestStore(dataDir, LmsConnectionSchema.parse({ ...connectionFor(sim), id, name: 'School Moodle' }));
  const secrets = new MemorySecretStore();
  await secrets.set(id, 'token', sim.token);
  return { sim, store, deps: { store, secrets, logger: silentLogger, dataDir } };
}

/**
 * A fresh simulated site per test (no participants, nothing created yet): `open(mapping, snapshot)`
 * starts the simulator, a connection with that mapping and a store holding the snapshot; both are
 * closed after the test.
 */
export function useFreshSite(tempDir: () => string): {
  open(
    mapping: Partial<LmsConnection['mapping']>,
    snapshot: Snapshot,
  ): Promise<{ sim: MoodleSim; store: Store; connection: LmsConnection }>;
} {
  let opened: { sim: MoodleSim; store: Store } | undefined;
  afterEach(async () => {
    opened?.store.close();
    await opened?.sim.close();
    opened = undefined;
  });
  return {
    async open(mapping, snapshot) {
      const sim = await startMoodleSim();
      const connection = connectionFor(sim, mapping);
      const store = openTestStore(tempDir(), connection, snapshot);
      opened = { sim, store };
      return { sim, store, connection };
    },
  };
}
