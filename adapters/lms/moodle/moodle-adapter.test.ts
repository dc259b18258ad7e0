import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LmsError, type AdapterLogger, type NewLmsUser } from '../../contract';
import { startMoodleSim, type MoodleSim } from '../../testing/moodle-sim';
import { TRUNCATION_NOTE } from './batch-runner';
import { createMoodleAdapter, type MoodleAdapterOptions } from './moodle-adapter';

// Every operation over real HTTP against the Moodle simulator (adapters/testing/moodle-sim).
let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await sim.close();
});

/** Collects every log line as text, to prove the token never appears in one. */
function captureLogger(): { logger: AdapterLogger; text: () => string } {
  const lines: string[] = [];
  const push = (obj: object, msg?: string): void => void lines.push(JSON.stringify({ ...obj, msg }));
  return { logger: { debug: push, info: push, warn: push, error: push }, text: () => lines.join('\n') };
}

const adapter = (options: Partial<MoodleAdapterOptions> = {}) =>
  createMoodleAdapter({ url: sim.url, token: sim.token, backoffMs: 5, timeoutMs: 5000, ...options });

const newUser = (n: number, extra: Partial<NewLmsUser> = {}): NewLmsUser => ({
  username: `cb${n}`,
  firstname: `First${n}`,
  lastname: `Last${n}`,
  email: `cb${n}@students.example.invalid`,
  idnumber: `SMS-${n}`,
  password: `Pass#word-${n}`,
  ...extra,
});
const simUsersNamed = (prefix: string) => [...sim.state.users.values()].filter((u) => u.username.startsWith(prefix));

async function rejection(promise: Promise<unknown>): Promise<LmsError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(LmsError);
    return err as LmsError;
  }
  throw new Error('expected the call to fail');
}

describe('describe / connection test', () => {
  it('reports the site, release and every feature as available for a full token', async () => {
    const d = await adapter().describe();
    expect(d.site).toMatchObject({ family: 'moodle', siteUrl: expect.any(String), userId: expect.any(Number) });
    expect(d.site.release).toMatch(/5\.1/);
    expect(d.ok).toBe(true);
    expect(d.fixes).toEqual([]);
    expect(d.features.every((f) => f.available)).toBe(true);
  });

  it('names a function revoked from the service, with the fix, as soon as it is revoked', async () => {
    sim.revokeFunction(sim.token, 'core_user_create_users');
    const d = await adapter().describe();
    expect(d.ok).toBe(false);
    expect(d.features.find((f) => f.feature === 'create-users')).toMatchObject({
      available: false,
      missingFunctions: ['core_user_create_users'],
    });
    expect(d.fixes).toEqual([expect.stringContaining('does not allow core_user_create_users')]);
    expect(d.fixes[0]).toContain('External services');
  });

  it('falls back to core_course_get_courses where get_courses_by_field is not allowed', async () => {
    sim.revokeFunction(sim.token, 'core_course_get_courses_by_field');
    const a = adapter();
    const d = await a.describe();
    expect(d.features.find((f) => f.feature === 'list-courses')).toMatchObject({
      available: true,
      via: 'core_course_get_courses',
    });
    const courses = await a.listCourses();
    expect(courses.map((c) => c.shortname)).toContain('MATH101-2026S1');
    expect(courses.some((c) => c.id === sim.state.siteCourseId)).toBe(false);
  });

  it('detects Totara and says what it supports', async () => {
    const totara = await startMoodleSim({ family: 'totara' });
    try {
      const d = await createMoodleAdapter({ url: totara.url, token: totara.token }).describe();
      expect(d.site.family).toBe('totara');
      expect(d.notes.join(' ')).toMatch(/Totara: ClassBridge uses the Moodle-compatible/);
    } finally {
      await totara.close();
    }
  });
});

describe('errors', () => {
  it('maps each failure to its kind', async () => {
    sim.deleteToken(sim.token);
    expect((await rejection(adapter().describe())).kind).toBe('invalid-token');
  });

  it('web services switched off → web-services-disabled', async () => {
    sim.setWebServicesEnabled(false);
    expect((await rejection(adapter().listCourses())).kind).toBe('web-services-disabled');
  });

  it('a suspended token user → access, with the specific fix', async () => {
    sim.suspendTokenUser(sim.token);
    const error = await rejection(adapter().describe());
    expect(error.kind).toBe('access');
    expect(error.fix).toMatch(/suspended/);
  });

  it('a missing capability stops a batch with no-permission', async () => {
    sim.revokeCapability(sim.token, 'moodle/user:create');
    expect((await rejection(adapter().createUsers([newUser(1)]))).kind).toBe('no-permission');
  });

  it('an unreachable site → network; no answer in time → timeout; HTML → server; broken JSON → server', async () => {
    expect(
      (await rejection(createMoodleAdapter({ url: 'http://127.0.0.1:9', token: 't', maxAttempts: 1 }).listCategories()))
        .kind,
    ).toBe('network');
    sim.injectFault({ kind: 'hang' }, { function: 'core_course_get_categories' });
    expect((await rejection(adapter({ timeoutMs: 300, maxAttempts: 1 }).listCategories())).kind).toBe('timeout');
    sim.injectFault({ kind: 'html' });
    expect((await rejection(adapter({ maxAttempts: 1 }).listCategories())).message).toMatch(/HTML page/);
    sim.injectFault({ kind: 'invalid-json' });
    expect((await rejection(adapter({ maxAttempts: 1 }).listCategories())).kind).toBe('server');
  });

  it('never puts the token in a log line or an error message', async () => {
    const { logger, text } = captureLogger();
    const a = adapter({ logger, maxAttempts: 2 });
    sim.injectFault(
      { kind: 'http-status', status: 502, body: `<html>bad gateway for ${sim.token}</html>` },
      { times: 2 },
    );
    const errors: string[] = [(await rejection(a.listCategories())).message];
    sim.revokeFunction(sim.token, 'core_course_get_categories');
    errors.push((await rejection(a.listCategories())).message);
    const unreachable = createMoodleAdapter({
      url: 'http://127.0.0.1:9',
      token: sim.token,
      logger,
      maxAttempts: 2,
      backoffMs: 1,
    });
    const netError = await rejection(unreachable.listCategories());
    errors.push(netError.message, String(netError.cause ?? ''));
    expect(text().length).toBeGreaterThan(0);
    expect(text()).not.toContain(sim.token);
    for (const message of errors) expect(message).not.toContain(sim.token);
  });
});

describe('retries', () => {
  it('retries a read after 5xx and succeeds', async () => {
    sim.injectFault({ kind: 'http-status', status: 503 }, { function: 'core_course_get_categories', times: 2 });
    await adapter().listCategories();
    expect(sim.requestCount('core_course_get_categories')).toBe(3);
  });

  it('stops after the attempt limit', async () => {
    sim.injectFault({ kind: 'http-status', status: 500 }, { function: 'core_course_get_categories', times: 10 });
    expect((await rejection(adapter({ maxAttempts: 3 }).listCategories())).kind).toBe('server');
    expect(sim.requestCount('core_course_get_categories')).toBe(3);
  });

  it('does not resend a create blindly: after the connection drops once applied, it looks up and creates no duplicate', async () => {
    sim.injectFault({ kind: 'reset-after-apply' }, { function: 'core_user_create_users' });
    const result = await adapter().createUsers([newUser(1), newUser(2), newUser(3)]);
    expect(result.outcomes.every((o) => o.ok)).toBe(true);
    expect(
      simUsersNamed('cb')
        .map((u) => u.username)
        .sort(),
    ).toEqual(['cb1', 'cb2', 'cb3']);
    expect(sim.requestCount('core_user_create_users')).toBe(1);
  });

  it('resends a create when the connection dropped before the LMS applied it', async () => {
    sim.injectFault({ kind: 'reset' }, { function: 'core_user_create_users' });
    const result = await adapter().createUsers([newUser(1), newUser(2)]);
    expect(result.outcomes.every((o) => o.ok)).toBe(true);
    expect(simUsersNamed('cb')).toHaveLength(2);
  });
});

describe('batching', () => {
  it('splits at the batch size', async () => {
    const users = Array.from({ length: 250 }, (_, i) => newUser(i));
    const result = await adapter({ batchSize: 100 }).createUsers(users);
    expect(result.outcomes.filter((o) => o.ok)).toHaveLength(250);
    expect(sim.requestCount('core_user_create_users')).toBe(3);
  });

  it('keeps every request under the input limit, so a site at 1000 truncates nothing', async () => {
    // 6 form variables per user: 800 / 6 → 133 per request even though the batch size allows 500.
    const users = Array.from({ length: 300 }, (_, i) => newUser(i));
    const result = await adapter({ batchSize: 500 }).createUsers(users);
    expect(result.notes).toEqual([]);
    expect(result.outcomes.every((o) => o.ok)).toBe(true);
    expect(sim.requestCount('core_user_create_users')).toBe(3);
  });

  it('detects truncation by a site with a lower max_input_vars, shrinks the batch, says so, and duplicates nothing', async () => {
    // PHP keeps max_input_vars + 1 POST variables: 211 = wstoken + exactly 35 users of 6 variables,
    // so Moodle creates 35 and answers 200 with a list of 35, as the recorded real site did.
    sim.setMaxInputVars(210);
    const users = Array.from({ length: 100 }, (_, i) => newUser(i));
    const result = await adapter({ batchSize: 100 }).createUsers(users);
    expect(result.outcomes.filter((o) => o.ok)).toHaveLength(100);
    expect(result.notes).toEqual([TRUNCATION_NOTE]);
    expect(simUsersNamed('cb')).toHaveLength(100);
  });

  it('tells the admin once, with the fix, however many batches were cut', async () => {
    sim.setMaxInputVars(210);
    const users = Array.from({ length: 400 }, (_, i) => newUser(i));
    const result = await adapter({ batchSize: 100 }).createUsers(users);
    expect(result.outcomes.filter((o) => o.ok)).toHaveLength(400);
    expect(result.notes).toEqual([TRUNCATION_NOTE]);
    expect(TRUNCATION_NOTE).toMatch(/Fix: set max_input_vars = 5000/);
  });

  it('recovers when the cut falls inside a record (Moodle then rejects the call) by splitting', async () => {
    sim.setMaxInputVars(200);
    const users = Array.from({ length: 100 }, (_, i) => newUser(i));
    const result = await adapter({ batchSize: 100 }).createUsers(users);
    expect(result.outcomes.filter((o) => o.ok)).toHaveLength(100);
    expect(simUsersNamed('cb')).toHaveLength(100);
  });

  it('isolates the bad records of an all-or-nothing batch and creates the rest', async () => {
    const users = [
      newUser(1),
      newUser(2, { username: 't2001' }),
      newUser(3),
      newUser(4, { username: 'Upper' }),
      newUser(5),
    ];
    const result = await adapter().createUsers(users);
    expect(result.outcomes.map((o) => o.ok)).toEqual([true, false, true, false, true]);
    const bad = result.outcomes[1];
    expect(bad?.ok === false && bad.error.kind).toBe('invalid-parameter');
    expect(simUsersNamed('cb')).toHaveLength(3);
  });

  it('never has more requests in flight than the cap', async () => {
    sim.setLatency({ perRequestMs: 30, perItemMs: 0 });
    const a = adapter({ maxInFlight: 3 });
    await Promise.all(Array.from({ length: 12 }, () => a.listCategories()));
    expect(sim.peakConcurrency()).toBe(3);
  });
});

describe('operations', () => {
  it('finds users by idnumber, username and email; leaves out those not found', async () => {
    const a = adapter();
    expect((await a.findUsers('idnumber', ['SIS-s1001', 'nobody'])).map((u) => u.username)).toEqual(['s1001']);
    expect((await a.findUsers('username', ['t2001']))[0]).toMatchObject({ idnumber: 'SIS-t2001', suspended: false });
    expect(await a.findUsers('email', ['none@example.invalid'])).toEqual([]);
  });

  it('updates and suspends users, reporting unknown ids per record', async () => {
    const a = adapter();
    const [user] = await a.findUsers('username', ['s1002']);
    const result = await a.updateUsers([
      { id: user?.id ?? 0, firstname: 'Renamed' },
      { id: 99999, firstname: 'Ghost' },
    ]);
    expect(result.outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(sim.state.users.get(user?.id ?? 0)?.firstname).toBe('Renamed');
    await a.suspendUsers([user?.id ?? 0]);
    expect((await a.findUsers('id', [user?.id ?? 0]))[0]?.suspended).toBe(true);
  });

  it('creates, finds and updates courses; a taken shortname fails only that course', async () => {
    const a = adapter();
    const [category] = await a.listCategories();
    const result = await a.createCourses([
      { fullname: 'Chemistry', shortname: 'CHEM1', categoryId: category?.id ?? 1, idnumber: 'SMS-CHEM1' },
      { fullname: 'Dup', shortname: 'MATH101-2026S1', categoryId: category?.id ?? 1 },
    ]);
    expect(result.outcomes[0]?.ok).toBe(true);
    expect(result.outcomes[1]?.ok === false && result.outcomes[1].error.kind).toBe('conflict');
    const [chem] = await a.findCourses('idnumber', ['SMS-CHEM1']);
    expect(chem).toMatchObject({ shortname: 'CHEM1', fullname: 'Chemistry', visible: true });
    expect((await a.updateCourses([{ id: chem?.id ?? 0, fullname: 'Chemistry 1' }])).outcomes[0]?.ok).toBe(true);
    expect((await a.findCourses('id', [chem?.id ?? 0]))[0]?.fullname).toBe('Chemistry 1');
    expect(
      (await a.findCourses('shortname', ['MATH101-2026S1', 'BIO110-2026S1'])).map((c) => c.idnumber).sort(),
    ).toEqual(['SIS-BIO110-2026S1', 'SIS-MATH101-2026S1']);
  });

  it('enrols with roles looked up by shortname, re-enrols idempotently, unenrols, and lists participants', async () => {
    const a = adapter();
    const [course] = await a.findCourses('idnumber', ['SIS-BIO110-2026S1']);
    const created = await a.createUsers([newUser(1)]);
    const userId = created.outcomes[0]?.ok ? created.outcomes[0].value.id : 0;
    const courseId = course?.id ?? 0;
    const enrol = await a.enrol([
      { userId, courseId, roleShortname: 'student' },
      { userId, courseId, roleShortname: 'no-such-role' },
    ]);
    expect(enrol.outcomes[0]?.ok).toBe(true);
    expect(enrol.outcomes[1]?.ok === false && enrol.outcomes[1].error.fix).toMatch(/role mapping/);
    expect((await a.enrol([{ userId, courseId, roleShortname: 'student' }])).outcomes[0]?.ok).toBe(true);
    const participants = await a.listEnrolledUsers(courseId);
    expect(participants.find((p) => p.id === userId)?.roles.map((r) => r.shortname)).toEqual(['student']);
    expect((await a.unenrol([{ userId, courseId }])).outcomes[0]?.ok).toBe(true);
    expect((await a.listEnrolledUsers(courseId)).some((p) => p.id === userId)).toBe(false);
  });

  it('creates groups and adds members; a member not enrolled in the course fails alone', async () => {
    const a = adapter();
    const [course] = await a.findCourses('idnumber', ['SIS-MATH101-2026S1']);
    const courseId = course?.id ?? 0;
    const groups = await a.createGroups([{ courseId, name: 'Tutorial C', idnumber: 'SMS-TUT-C' }]);
    const group = groups.outcomes[0]?.ok ? groups.outcomes[0].value : undefined;
    expect(group).toMatchObject({ courseId, name: 'Tutorial C', idnumber: 'SMS-TUT-C' });
    const participants = await a.listEnrolledUsers(courseId);
    const outsider = await a.createUsers([newUser(9)]);
    const outsiderId = outsider.outcomes[0]?.ok ? outsider.outcomes[0].value.id : 0;
    const members = await a.addGroupMembers([
      { groupId: group?.id ?? 0, userId: participants[0]?.id ?? 0 },
      { groupId: group?.id ?? 0, userId: outsiderId },
    ]);
    expect(members.outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(sim.state.groups.get(group?.id ?? 0)?.members).toEqual([participants[0]?.id]);
    const duplicate = await a.createGroups([{ courseId, name: 'Tutorial C' }]);
    expect(duplicate.outcomes[0]?.ok).toBe(false);
  });

  it('reads a gradebook with item types, hidden flags, ranges and percentages', async () => {
    const a = adapter();
    const [course] = await a.findCourses('idnumber', ['SIS-MATH101-2026S1']);
    const gradebook = await a.readGradebook(course?.id ?? 0);
    expect(gradebook.users.length).toBeGreaterThan(0);
    const items = gradebook.users[0]?.items ?? [];
    expect(new Set(items.map((i) => i.type))).toEqual(new Set(['mod', 'manual', 'course']));
    expect(items.find((i) => i.name === 'Final exam (hidden)')?.hidden).toBe(true);
    const graded = items.find((i) => i.type === 'mod' && i.raw !== null);
    expect(graded?.percentage).toBeCloseTo(
      (((graded?.raw ?? 0) - (graded?.gradeMin ?? 0)) / ((graded?.gradeMax ?? 1) - (graded?.gradeMin ?? 0))) * 100,
      1,
    );
    expect(items.find((i) => i.type === 'course')).toBeDefined();
  });

  it('reads activity completion', async () => {
    const a = adapter();
    const [course] = await a.findCourses('idnumber', ['SIS-MATH101-2026S1']);
    const [student] = await a.findUsers('username', ['s1001']);
    const completion = await a.readActivityCompletion(course?.id ?? 0, student?.id ?? 0);
    expect(completion.length).toBeGreaterThan(0);
    expect(completion.every((c) => ['incomplete', 'complete', 'pass', 'fail'].includes(c.state))).toBe(true);
  });
});
