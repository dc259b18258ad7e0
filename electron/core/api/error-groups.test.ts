import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import type { ApiOutput } from '../contract/contract';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { enrolmentKey, membershipKey } from '../sync/plan/applied-state';
import { ApiService, type ApiResponse } from './api-service';

const tempDir = useTempDirs();
let store: Store;
let api: ApiService;

beforeEach(() => {
  store = openStore({ file: join(tempDir(), 'cb.db') });
  api = new ApiService({ store, secrets: new MemorySecretStore(), emit: () => undefined });
  return () => store.close();
});

const lms = { id: 'moodle-main', kind: 'lms', provider: 'moodle', name: 'Moodle', url: 'https://moodle.example.org' };
const result = <T>(response: ApiResponse): T => {
  if (!response.ok) throw new Error(JSON.stringify(response.error));
  return response.result as T;
};

const ROLE_MISSING = {
  message: 'No role id is known for "student" on this site.',
  fix: 'Enter the student role id in the mapping (Site administration → Users → Define roles).',
};

describe('errors:groups', () => {
  it('folds errors with one cause into one row with a count, names records in words, and totals what the dashboard counts', async () => {
    await api.dispatch('connections:save', lms);
    const students = Array.from({ length: 40 }, (_, i) => ({
      smsId: `stu-${i}`,
      role: 'student' as const,
      givenName: `Student${i}`,
      familyName: 'Ngata',
      active: true,
    }));
    store.snapshot.replace(
      {
        people: students,
        courses: [{ smsId: 'cls-9', code: '10ENG', name: 'English' }],
        groups: [{ smsId: 'g-1', courseSmsId: 'cls-9', name: '10ENG-A' }],
        enrolments: [],
      },
      'test',
    );
    const run = store.runs.start('moodle-main', 'upload', 'manual');
    for (const s of students)
      store.runs.addError(run, {
        recordKind: 'enrolment',
        recordKey: enrolmentKey(s.smsId, 'cls-9'),
        course: '10ENG',
        ...ROLE_MISSING,
      });
    store.runs.addError(run, {
      recordKind: 'membership',
      recordKey: membershipKey('g-1', 'stu-3'),
      message: 'Moodle refused the class membership.',
      fix: 'Check the class in the LMS.',
    });
    store.runs.addError(run, {
      recordKind: 'person',
      recordKey: 'gone-7',
      message: 'The email is used by another account.',
      fix: 'Give this person their own email.',
    });
    // Messages that name their record, one fix: one cause.
    for (const code of ['10MAT', '10SCI', '10ART'])
      store.runs.addError(run, {
        recordKind: 'course',
        recordKey: code,
        course: code,
        message: `No LMS course matches ${code}, and no category is chosen for new courses.`,
        fix: "Choose a category for new courses in the connection's mapping, or create the course in the LMS.",
      });
    store.runs.finish(run, 'partial', { failed: 45 });

    const { total, groups } = result<ApiOutput<'errors:groups'>>(await api.dispatch('errors:groups', {}));
    expect(total).toBe(45);
    expect(total).toBe(store.runs.countOpenErrors());
    expect(groups).toHaveLength(4);
    expect(groups.find((g) => g.recordKind === 'course')).toMatchObject({ count: 3, messages: 3 });
    const role = groups.find((g) => g.message === ROLE_MISSING.message);
    expect(role).toMatchObject({
      count: 40,
      messages: 1,
      fix: ROLE_MISSING.fix,
      recordKind: 'enrolment',
      part: 'upload',
    });
    expect(role?.examples).toHaveLength(5);
    expect(role?.examples[0]?.recordName).toBe('Student0 Ngata (stu-0) in 10ENG English');
    expect(groups.find((g) => g.recordKind === 'membership')?.examples[0]?.recordName).toBe(
      'Student3 Ngata (stu-3) in class 10ENG-A',
    );
    // A record gone from the snapshot keeps its SMS id rather than a made-up name.
    expect(groups.find((g) => g.recordKind === 'person')?.examples[0]?.recordName).toBe('gone-7');
    for (const g of groups) for (const e of g.examples) expect(e.recordName).not.toMatch(/^\[/);
  });

  it('leaves out resolved errors unless asked, and a group is resolved only when all of it is', async () => {
    await api.dispatch('connections:save', lms);
    const run = store.runs.start('moodle-main', 'upload', 'manual');
    const ids = ['a', 'b'].map((key) =>
      store.runs.addError(run, { recordKind: 'person', recordKey: key, message: 'm', fix: 'f' }),
    );
    store.runs.resolveError(ids[0]!);
    const open = result<ApiOutput<'errors:groups'>>(await api.dispatch('errors:groups', {}));
    expect(open).toMatchObject({ total: 1, groups: [{ count: 1, resolved: false }] });
    const all = result<ApiOutput<'errors:groups'>>(await api.dispatch('errors:groups', { includeResolved: true }));
    expect(all).toMatchObject({ total: 2, groups: [{ count: 2, resolved: false }] });
  });
});
