import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { ConnectionSchema, DEFAULT_SETTINGS, type Snapshot } from '../../model';
import { openStore, type Store } from '../store';

const tempDir = useTempDirs();
let clock = new Date('2026-11-23T09:00:00Z');
let store: Store;

beforeEach(() => {
  clock = new Date('2026-11-23T09:00:00Z');
  store = openStore({ file: join(tempDir(), 'cb.db'), now: () => clock });
  return () => store.close();
});
const tick = (minutes = 1): void => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};
const lms = (id = 'moodle') =>
  ConnectionSchema.parse({ id, kind: 'lms', provider: 'moodle', name: `LMS ${id}`, url: `https://${id}.example.org` });

describe('settings', () => {
  it('starts from the defaults and keeps what is saved', () => {
    expect(store.settings.get()).toEqual(DEFAULT_SETTINGS);
    store.settings.save({
      ...DEFAULT_SETTINGS,
      timeZone: 'Australia/Sydney',
      schedules: { results: { kind: 'window', days: ['mon'], start: '22:00', end: '24:00' } },
    });
    expect(store.settings.get().timeZone).toBe('Australia/Sydney');
    expect(store.settings.get().schedules.results).toEqual({
      kind: 'window',
      days: ['mon'],
      start: '22:00',
      end: '24:00',
    });
  });

  it('names the key when a stored value is invalid instead of resetting it', () => {
    store.db.prepare("INSERT INTO settings (key, value) VALUES ('timeZone', '\"Mars/Olympus\"')").run();
    expect(() => store.settings.get()).toThrow(/timeZone/);
  });
});

describe('connections', () => {
  it('saves, updates and removes SMS and several LMS connections', () => {
    store.connections.save(ConnectionSchema.parse({ id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' }));
    store.connections.save(lms('moodle'));
    store.connections.save(lms('totara'));
    expect(store.connections.list().map((c) => c.id)).toEqual(['kamar', 'moodle', 'totara']);
    tick();
    store.connections.save({ ...lms('moodle'), name: 'Moodle renamed' });
    expect(store.connections.get('moodle')?.name).toBe('Moodle renamed');
    expect(store.connections.remove('totara')).toBe(true);
    expect(store.connections.remove('totara')).toBe(false);
    expect(store.connections.list()).toHaveLength(2);
  });
});

describe('runs and run errors', () => {
  it('records a run, its errors, and resolves an error', () => {
    store.connections.save(lms());
    const run = store.runs.start('moodle', 'upload', 'manual');
    const errorId = store.runs.addError(run, {
      recordKind: 'person',
      recordKey: 'S123',
      message: 'Invalid email',
      fix: 'Fix the email in the SMS',
    });
    tick();
    store.runs.finish(run, 'partial', { created: 4, failed: 1 });
    expect(store.runs.last('moodle', 'upload')).toMatchObject({
      id: run,
      outcome: 'partial',
      counts: { created: 4, failed: 1 },
      trigger: 'manual',
    });
    expect(store.runs.listErrors({ part: 'upload' })).toMatchObject([
      { id: errorId, recordKey: 'S123', connectionId: 'moodle' },
    ]);
    expect(store.runs.countOpenErrors()).toBe(1);
    expect(store.runs.resolveError(errorId)).toBe(true);
    expect(store.runs.listErrors()).toEqual([]);
    expect(store.runs.listErrors({ includeResolved: true })).toHaveLength(1);
    expect(() => store.runs.addError(999, { recordKind: 'x', recordKey: 'y', message: 'm', fix: 'f' })).toThrow(
      /No run 999/,
    );
  });
});

describe('snapshot', () => {
  const snapshot: Snapshot = {
    people: [
      { smsId: 'S1', role: 'student', givenName: 'Aroha', familyName: 'Ngata', email: 'aroha@school.nz', active: true },
      { smsId: 'T1', role: 'staff', givenName: 'Ben', familyName: 'Lee', active: true },
    ],
    courses: [{ smsId: 'C1', code: 'MATH101', name: 'Maths' }],
    groups: [{ smsId: 'G1', courseSmsId: 'C1', name: '10MAT1' }],
    enrolments: [
      { personSmsId: 'S1', courseSmsId: 'C1', groupSmsIds: ['G1'], role: 'student', active: true },
      { personSmsId: 'T1', courseSmsId: 'C1', role: 'teacher', active: true },
    ],
  };

  it('replaces the snapshot and reads it back', () => {
    const meta = store.snapshot.replace(snapshot, 'kamar push');
    expect(meta.counts).toEqual({ people: 2, courses: 1, groups: 1, enrolments: 2 });
    // toEqual treats a missing optional field and one read back as undefined alike.
    expect(store.snapshot.read()).toEqual(snapshot);
    expect(store.snapshot.meta()?.source).toBe('kamar push');
  });

  it('keeps the previous snapshot whole when a replacement fails half-way', () => {
    store.snapshot.replace(snapshot, 'first');
    const broken: Snapshot = {
      ...snapshot,
      enrolments: [{ personSmsId: 'NOBODY', courseSmsId: 'C1', role: 'student', active: true }],
    };
    expect(() => store.snapshot.replace(broken, 'second')).toThrow(/FOREIGN KEY/);
    expect(store.snapshot.read().people).toHaveLength(2);
    expect(store.snapshot.read().enrolments).toHaveLength(2);
    expect(store.snapshot.meta()?.source).toBe('first');
  });
});

describe('links', () => {
  it('maps SMS ids to LMS ids per connection and refuses one LMS id for two SMS records', () => {
    store.connections.save(lms('a'));
    store.connections.save(lms('b'));
    store.links.set('a', 'person', 'S1', '101');
    store.links.set('b', 'person', 'S1', '555');
    expect(store.links.lmsId('a', 'person', 'S1')).toBe('101');
    expect(store.links.lmsId('b', 'person', 'S1')).toBe('555');
    expect(store.links.smsId('a', 'person', '101')).toBe('S1');
    expect(() => store.links.set('a', 'person', 'S2', '101')).toThrow(/UNIQUE/);
    expect(store.links.all('a', 'person')).toEqual(new Map([['S1', '101']]));
    store.connections.remove('a');
    expect(store.links.all('a', 'person').size).toBe(0);
  });
});

describe('LMS courses', () => {
  beforeEach(() => store.connections.save(lms()));
  const c = (lmsId: number, fullname = `Course ${lmsId}`) => ({
    lmsId,
    shortname: `C${lmsId}`,
    fullname,
    idnumber: `ID${lmsId}`,
  });

  it('starts unseen courses as New, keeps admin states, and marks vanished ones Deleted', () => {
    expect(store.lmsCourses.recordSeen('moodle', [c(1), c(2), c(3)])).toBe(3);
    expect(store.lmsCourses.setState('moodle', 1, 'Open')).toBe('changed');
    expect(store.lmsCourses.setState('moodle', 2, 'Closed')).toBe('changed');
    expect(store.lmsCourses.setState('moodle', 2, 'Closed')).toBe('unchanged');
    tick();
    expect(store.lmsCourses.recordSeen('moodle', [c(1, 'Renamed'), c(2)])).toBe(0);
    expect(store.lmsCourses.markMissingDeleted('moodle', [1, 2])).toBe(1);
    const visible = store.lmsCourses.list();
    expect(visible.map((x) => [x.lmsId, x.state, x.fullname])).toEqual([
      [2, 'Closed', 'Course 2'],
      [1, 'Open', 'Renamed'],
    ]);
    expect(store.lmsCourses.list({ states: ['Deleted'] }).map((x) => x.lmsId)).toEqual([3]);
    expect(store.lmsCourses.setState('moodle', 3, 'Open')).toBe('deleted');
    expect(store.lmsCourses.setState('moodle', 99, 'Open')).toBe('not-found');
    expect(store.lmsCourses.countByState()).toEqual({ New: 0, Open: 1, Closed: 1, Deleted: 1 });
    expect(store.lmsCourses.list({ search: 'renam' }).map((x) => x.lmsId)).toEqual([1]);
  });

  it('brings a course back as New when it reappears after being deleted', () => {
    store.lmsCourses.recordSeen('moodle', [c(1)]);
    store.lmsCourses.setState('moodle', 1, 'Open');
    store.lmsCourses.markMissingDeleted('moodle', []);
    tick();
    store.lmsCourses.recordSeen('moodle', [c(1)]);
    expect(store.lmsCourses.list().map((x) => x.state)).toEqual(['New']);
  });
});

describe('results', () => {
  beforeEach(() => store.connections.save(lms()));
  const result = (progressPercent: number) => ({
    connectionId: 'moodle',
    lmsCourseId: 7,
    personSmsId: 'S1',
    progressPercent,
    grade: 'B',
    gradePercent: 72.5,
    activities: [{ itemId: 1, name: 'Essay', grade: '8.00', percentage: 80 }],
  });

  it('reports changes, and lists as undelivered only what changed since the last delivery', () => {
    expect(store.results.upsert(result(50))).toBe(true);
    expect(store.results.upsert(result(50))).toBe(false);
    expect(store.results.undelivered('moodle')).toHaveLength(1);
    store.results.markDelivered(store.results.list({ connectionId: 'moodle' }));
    expect(store.results.undelivered('moodle')).toEqual([]);
    tick();
    expect(store.results.upsert(result(75))).toBe(true);
    expect(store.results.undelivered('moodle').map((r) => r.progressPercent)).toEqual([75]);
    expect(store.results.list({ personSmsId: 'S1' })[0]?.deliveredAt).toBe('2026-11-23T09:00:00.000Z');
  });

  it('refuses a progress outside 0–100', () => {
    expect(() => store.results.upsert(result(120))).toThrow(/CHECK/);
  });
});
