import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import { LmsConnectionSchema } from '../model';
import { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations';
import { APPLICATION_ID, openDatabase } from './open-database';
import { StoreError } from './errors';
import { openStore } from './store';

const tempDir = useTempDirs();
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

function expectStoreError(run: () => unknown, code: StoreError['code']): StoreError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe(code);
    return err as StoreError;
  }
  throw new Error(`expected StoreError ${code}, but it opened`);
}

describe('opening a new database', () => {
  it('creates every table, marks the file as ClassBridge, uses WAL and takes no backup', () => {
    const dir = tempDir();
    const { db, migration } = openDatabase({ file: join(dir, 'cb.db') });
    expect(migration).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'settings',
        'connections',
        'runs',
        'run_errors',
        'people',
        'courses',
        'groups',
        'enrolments',
        'links',
        'lms_courses',
        'results',
      ]),
    );
    db.close();
    expect(readdirSync(dir).filter((f) => f.includes('backup'))).toEqual([]);
  });

  it('reopening an up-to-date database changes nothing and takes no backup', () => {
    const dir = tempDir();
    openDatabase({ file: join(dir, 'cb.db') }).db.close();
    const { db, migration } = openDatabase({ file: join(dir, 'cb.db') });
    db.close();
    expect(migration).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
    expect(readdirSync(dir).filter((f) => f.includes('backup'))).toEqual([]);
  });
});

describe('each migration', () => {
  const expected: Record<number, string[]> = {
    1: ['connections', 'settings'],
    2: ['run_errors', 'runs'],
    3: ['courses', 'enrolments', 'groups', 'links', 'people', 'snapshot_meta'],
    4: ['lms_courses', 'results'],
    5: [],
    6: ['applied_state'],
    7: ['held_plans', 'run_repairs'],
    8: ['applied_entries'],
    9: ['enrolment_groups'],
    10: ['lms_roles'],
    11: ['data_folder'],
    12: ['write_leases'],
    13: ['link_decisions'],
    14: [],
    15: ['kamar_spool_chunks', 'kamar_spool_runs'],
    16: [],
    17: ['leave_alone'],
    18: [],
    19: ['lms_cohort_members', 'lms_cohorts'],
    20: ['parent_accounts', 'parent_roles', 'snapshot_guardian_links', 'snapshot_guardians'],
    21: ['course_copies'],
    22: ['result_deliveries', 'result_reviews'],
    23: ['alert_log', 'alert_outbox', 'alert_state'],
  };
  it('is numbered consecutively from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
  for (const migration of MIGRATIONS) {
    it(`${migration.version} (${migration.name}) adds its tables on top of the previous version`, () => {
      const file = join(tempDir(), 'cb.db');
      const before = openDatabase({ file, migrations: MIGRATIONS.slice(0, migration.version - 1) });
      const had = tables(before.db);
      before.db.close();
      const after = openDatabase({ file, migrations: MIGRATIONS.slice(0, migration.version) });
      const added = tables(after.db).filter((t) => !had.includes(t));
      after.db.close();
      expect(added.sort()).toEqual(expected[migration.version]);
    });
  }

  it('5 (result-grade-percent) adds the course grade as a percentage to results, keeping existing rows', () => {
    const file = join(tempDir(), 'cb.db');
    const v4 = openStore({ file, migrations: MIGRATIONS.slice(0, 4) });
    v4.connections.save(
      LmsConnectionSchema.parse({ id: 'm', kind: 'lms', provider: 'moodle', name: 'M', url: 'https://m.example.org' }),
    );
    v4.db
      .prepare(
        "INSERT INTO results (connection_id, lms_course_id, person_sms_id, progress_percent, grade, updated_at) VALUES ('m', 2, 'S1', 50, 'B', 'x')",
      )
      .run();
    v4.close();
    const v5 = openStore({ file });
    expect(v5.results.list()).toMatchObject([{ personSmsId: 'S1', grade: 'B', gradePercent: null }]);
    expect(() => v5.db.prepare('UPDATE results SET grade_percent = 120').run()).toThrow(/CHECK/);
    v5.close();
  });
  it('8 (applied-state-entries) splits each stored applied state into one row per entry, in order', () => {
    const file = join(tempDir(), 'cb.db');
    const v7 = openStore({ file, migrations: MIGRATIONS.slice(0, 7) });
    v7.connections.save(
      LmsConnectionSchema.parse({ id: 'm', kind: 'lms', provider: 'moodle', name: 'M', url: 'https://m.example.org' }),
    );
    const state = {
      version: 1,
      people: { S2: { role: 'student', username: 's2' }, S1: { role: 'staff', username: 's1' } },
      courses: {},
      groups: { G1: { course: 'C1', name: 'Class', idnumber: 'G1' } },
      enrolments: { '["S2","C1"]': { person: 'S2', course: 'C1' } },
      memberships: {},
      links: { people: { S2: 7, S1: 8 }, courses: { C1: 3 }, groups: {} },
    };
    v7.db
      .prepare("INSERT INTO applied_state (connection_id, state, updated_at) VALUES ('m', ?, 'x')")
      .run(JSON.stringify(state));
    v7.close();
    const v8 = openStore({ file });
    expect(v8.appliedState.read('m')).toEqual(state);
    expect(Object.keys((v8.appliedState.read('m') as typeof state).people)).toEqual(['S2', 'S1']);
    expect(v8.appliedState.header('m')).toEqual({ header: { version: 1 }, updatedAt: 'x' });
    v8.close();
  });
  it('9 (enrolment-groups) keeps every stored enrolment and moves its class into enrolment_groups', () => {
    const file = join(tempDir(), 'cb.db');
    const v8 = openStore({ file, migrations: MIGRATIONS.slice(0, 8) });
    v8.db.exec(`
      INSERT INTO people (sms_id, role, given_name, family_name) VALUES ('S1', 'student', 'Aroha', 'Ngata'), ('S2', 'student', 'Mere', 'Tane');
      INSERT INTO courses (sms_id, code, name) VALUES ('C1', '10ENG', 'English');
      INSERT INTO groups (sms_id, course_sms_id, name) VALUES ('G1', 'C1', '10ENG-1');
      INSERT INTO enrolments (person_sms_id, course_sms_id, group_sms_id, role, start_date, active)
        VALUES ('S1', 'C1', 'G1', 'student', '2026-01-28', 1), ('S2', 'C1', NULL, 'student', NULL, 0);
    `);
    v8.close();
    const v9 = openStore({ file });
    expect(v9.snapshot.read().enrolments).toEqual([
      {
        personSmsId: 'S1',
        courseSmsId: 'C1',
        groupSmsIds: ['G1'],
        role: 'student',
        startDate: '2026-01-28',
        endDate: undefined,
        active: true,
      },
      {
        personSmsId: 'S2',
        courseSmsId: 'C1',
        role: 'student',
        startDate: undefined,
        endDate: undefined,
        active: false,
      },
    ]);
    v9.close();
  });
  it('16 (upload-part) makes the three upload parts one: runs, errors, held plans, leases and schedules', () => {
    const file = join(tempDir(), 'cb.db');
    const v15 = openStore({ file, migrations: MIGRATIONS.slice(0, 15) });
    const every = (minutes: number) => ({ kind: 'interval', minutes });
    v15.db.exec(`
      INSERT INTO connections (id, kind, provider, name, config, created_at, updated_at) VALUES
        ('m', 'lms', 'moodle', 'M', '${JSON.stringify({
          url: 'https://m.example.org',
          schedules: { profiles: every(60), enrolments: every(15), results: every(90) },
        })}', 'x', 'x'),
        ('n', 'lms', 'moodle', 'N', '${JSON.stringify({ url: 'https://n.example.org', schedules: { courses: every(45) } })}', 'x', 'x');
      INSERT INTO settings (key, value) VALUES ('schedules', '${JSON.stringify({
        profiles: every(20),
        courses: every(25),
        enrolments: every(30),
        reconcile: { kind: 'window', days: ['mon'], start: '01:00', end: '05:00' },
      })}');
      INSERT INTO runs (id, connection_id, part, trigger_kind, started_at, outcome, counts) VALUES
        (1, NULL, 'profiles', 'manual', '2026-01-01T00:00:00Z', 'ok', '{}'),
        (2, 'm', 'enrolments', 'schedule', '2026-01-01T01:00:00Z', 'partial', '{"failed":1}'),
        (3, 'm', 'profiles', 'manual', '2026-01-01T02:00:00Z', 'held', '{}'),
        (4, 'm', 'results', 'schedule', '2026-01-01T03:00:00Z', 'ok', '{}');
      INSERT INTO run_errors (run_id, connection_id, part, record_kind, record_key, message, fix, created_at) VALUES
        (2, 'm', 'enrolments', 'person', 'S1', 'bad email', 'fix it', 'x'),
        (4, 'm', 'results', 'course', 'C1', 'no grades', 'open it', 'x');
      INSERT INTO held_plans (id, connection_id, part, run_id, fingerprint, removal_keys, state, message, details, created_at) VALUES
        (1, 'm', 'enrolments', 2, 'a', '[]', 'approved', 'old', '{"counts":{},"samples":[]}', 'x'),
        (2, 'm', 'profiles', 3, 'b', '[]', 'pending', 'new', '{"counts":{},"samples":[]}', 'x'),
        (3, 'm', 'enrolments', 2, 'c', '[]', 'rejected', 'kept', '{"counts":{},"samples":[]}', 'x');
      INSERT INTO write_leases (connection_id, part, owner_id, pid, host, process_label, started_at, heartbeat_at)
        VALUES ('m', 'enrolments', 'o', 1, 'h', 'classbridge sync upload', 'x', 'x');
    `);
    v15.close();

    const v16 = openStore({ file });
    expect(v16.runs.list({ connectionId: 'm', part: 'upload' }).map((r) => r.id)).toEqual([3, 2]);
    expect(v16.runs.last(null, 'upload')?.id).toBe(1);
    expect(v16.runs.listErrors().map((e) => [e.recordKey, e.part])).toEqual([
      ['C1', 'results'],
      ['S1', 'upload'],
    ]);
    // One plan waits per connection: the newest; the older approved one is superseded, a rejected one kept.
    expect(v16.heldPlans.list({ states: ['pending', 'approved', 'rejected', 'superseded'] })).toMatchObject([
      { id: 3, part: 'upload', state: 'rejected' },
      { id: 2, part: 'upload', state: 'pending' },
      { id: 1, part: 'upload', state: 'superseded' },
    ]);
    expect(v16.db.prepare("SELECT part FROM write_leases WHERE connection_id = 'm'").get()).toEqual({ part: 'upload' });
    // The enrolments schedule is the one the engine ran: it becomes the upload's; profiles and courses go.
    expect(v16.settings.get().schedules).toEqual({
      upload: every(30),
      reconcile: { kind: 'window', days: ['mon'], start: '01:00', end: '05:00' },
    });
    expect(v16.connections.get('m')).toMatchObject({ schedules: { upload: every(15), results: every(90) } });
    expect(v16.connections.get('n')).toMatchObject({ schedules: {} });
    const stored = v16.db.prepare("SELECT config FROM connections WHERE id = 'm'").get() as { config: string };
    expect(Object.keys((JSON.parse(stored.config) as { schedules: object }).schedules).sort()).toEqual([
      'results',
      'upload',
    ]);
    v16.close();
  });
  it('17 (leave-alone) keeps marks per connection, person or course, with when and a note; gone with the connection', () => {
    const file = join(tempDir(), 'cb.db');
    const v16 = openStore({ file, migrations: MIGRATIONS.slice(0, 16) });
    v16.connections.save(
      LmsConnectionSchema.parse({ id: 'm', kind: 'lms', provider: 'moodle', name: 'M', url: 'https://m.example.org' }),
    );
    v16.close();
    const v17 = openStore({ file, now: () => new Date('2026-12-04T10:00:00Z') });
    expect(v17.leaveAlone.list('m')).toEqual([]);
    v17.leaveAlone.add('m', 'person', 'S1', 'Exchange student, account made by hand');
    v17.leaveAlone.add('m', 'course', 'C9');
    // Marking again keeps the first date and the note unless a new one is given.
    expect(v17.leaveAlone.add('m', 'person', 'S1').note).toBe('Exchange student, account made by hand');
    expect(v17.leaveAlone.list('m')).toEqual([
      { connectionId: 'm', kind: 'course', smsId: 'C9', createdAt: '2026-12-04T10:00:00.000Z', note: null },
      {
        connectionId: 'm',
        kind: 'person',
        smsId: 'S1',
        createdAt: '2026-12-04T10:00:00.000Z',
        note: 'Exchange student, account made by hand',
      },
    ]);
    expect(v17.leaveAlone.sets('m')).toEqual({ people: new Set(['S1']), courses: new Set(['C9']) });
    expect(() => v17.db.prepare("INSERT INTO leave_alone VALUES ('m', 'group', 'G1', 'x', NULL)").run()).toThrow(
      /CHECK/,
    );
    expect(v17.leaveAlone.remove('m', 'person', 'S1')).toBe(true);
    expect(v17.leaveAlone.remove('m', 'person', 'S1')).toBe(false);
    v17.connections.remove('m');
    expect(v17.leaveAlone.list()).toEqual([]);
    v17.close();
  });
});

describe('upgrading an existing database', () => {
  it('keeps the data, writes a backup of the old version first, and reports the step', () => {
    const dir = tempDir();
    const file = join(dir, 'cb.db');
    const old = openStore({ file, migrations: MIGRATIONS.slice(0, 1) });
    old.connections.save(
      LmsConnectionSchema.parse({
        id: 'moodle',
        kind: 'lms',
        provider: 'moodle',
        name: 'Moodle',
        url: 'https://m.example.org',
      }),
    );
    old.db.prepare("INSERT INTO settings (key, value) VALUES ('timeZone', '\"Pacific/Auckland\"')").run();
    old.close();

    const store = openStore({ file, now: () => new Date('2026-11-23T10:00:00Z') });
    expect(store.migration.from).toBe(1);
    expect(store.migration.to).toBe(LATEST_SCHEMA_VERSION);
    expect(store.connections.get('moodle')?.name).toBe('Moodle');
    expect(store.settings.get().timeZone).toBe('Pacific/Auckland');
    store.close();

    const backupFile = store.migration.backupFile ?? '';
    expect(backupFile).toMatch(/cb\.db\.backup-v1-2026-11-23T10-00-00-000Z$/);
    const backup = new Database(backupFile, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare('SELECT name FROM connections').all()).toEqual([{ name: 'Moodle' }]);
    backup.close();
  });
});

describe('files the store must refuse and leave untouched', () => {
  it('refuses a database from a newer ClassBridge', () => {
    const file = join(tempDir(), 'cb.db');
    openDatabase({ file }).db.close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 3}`);
    raw.close();
    const hash = sha(file);
    const err = expectStoreError(() => openStore({ file }), 'newer-version');
    expect(err.message).toContain('newer version of ClassBridge');
    expect(err.message).toContain(`schema ${LATEST_SCHEMA_VERSION + 3}`);
    expect(sha(file)).toBe(hash);
  });

  it('refuses a corrupt file', () => {
    const file = join(tempDir(), 'cb.db');
    writeFileSync(file, 'this is not a database at all, just some text that someone saved here '.repeat(80));
    const hash = sha(file);
    const err = expectStoreError(() => openStore({ file }), 'corrupt');
    expect(err.message).toContain('damaged');
    expect(sha(file)).toBe(hash);
  });

  it("refuses another application's SQLite database", () => {
    const file = join(tempDir(), 'other.db');
    const other = new Database(file);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');");
    other.close();
    const hash = sha(file);
    expectStoreError(() => openStore({ file }), 'not-classbridge');
    expect(sha(file)).toBe(hash);
  });

  it('refuses a file another program holds locked, without changing it', () => {
    const file = join(tempDir(), 'cb.db');
    openDatabase({ file, migrations: MIGRATIONS.slice(0, 2) }).db.close();
    const holder = new Database(file);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const err = expectStoreError(() => openStore({ file, busyTimeoutMs: 50 }), 'locked');
      expect(err.message).toContain('locked by another program');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    check.close();
  });
});
