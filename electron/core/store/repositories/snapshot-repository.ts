import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import type { Snapshot } from '../../model';
import { readGuardians, replaceGuardians } from './guardians-snapshot';

export interface SnapshotCounts {
  people: number;
  courses: number;
  groups: number;
  enrolments: number;
}

export interface SnapshotMeta {
  source: string;
  importedAt: string;
  counts: SnapshotCounts;
}

const bool = (v: boolean): number => (v ? 1 : 0);

/**
 * The last SMS snapshot that imported cleanly. Replacing it is one transaction, so a failed import
 * (or a crash half-way) leaves the previous snapshot whole.
 */
export class SnapshotRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  replace(snapshot: Snapshot, source: string): SnapshotMeta {
    const counts: SnapshotCounts = {
      people: snapshot.people.length,
      courses: snapshot.courses.length,
      groups: snapshot.groups.length,
      enrolments: snapshot.enrolments.length,
    };
    const meta: SnapshotMeta = { source, importedAt: this.now().toISOString(), counts };
    const db = this.db;
    db.transaction(() => {
      db.exec(
        'DELETE FROM enrolment_groups; DELETE FROM enrolments; DELETE FROM groups; DELETE FROM courses; DELETE FROM people;',
      );
      const person = db.prepare(
        'INSERT INTO people (sms_id, role, given_name, family_name, email, username, active, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const p of snapshot.people) {
        const extra = p.extra && Object.keys(p.extra).length > 0 ? JSON.stringify(p.extra) : null;
        person.run(
          p.smsId,
          p.role,
          p.givenName,
          p.familyName,
          p.email ?? null,
          p.username ?? null,
          bool(p.active),
          extra,
        );
      }
      const course = db.prepare(
        'INSERT INTO courses (sms_id, code, name, start_date, end_date, term, subject) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const c of snapshot.courses)
        course.run(c.smsId, c.code, c.name, c.startDate ?? null, c.endDate ?? null, c.term ?? null, c.subject ?? null);
      const group = db.prepare('INSERT INTO groups (sms_id, course_sms_id, name) VALUES (?, ?, ?)');
      for (const g of snapshot.groups) group.run(g.smsId, g.courseSmsId, g.name);
      const enrolment = db.prepare(
        `INSERT INTO enrolments (person_sms_id, course_sms_id, role, start_date, end_date, active, outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      const membership = db.prepare(
        'INSERT INTO enrolment_groups (person_sms_id, course_sms_id, role, group_sms_id) VALUES (?, ?, ?, ?)',
      );
      for (const e of snapshot.enrolments) {
        enrolment.run(
          e.personSmsId,
          e.courseSmsId,
          e.role,
          e.startDate ?? null,
          e.endDate ?? null,
          bool(e.active),
          e.outcome ?? null,
        );
        for (const g of e.groupSmsIds ?? []) membership.run(e.personSmsId, e.courseSmsId, e.role, g);
      }
      replaceGuardians(db, snapshot);
      db.prepare(
        `INSERT INTO snapshot_meta (id, source, imported_at, counts) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at, counts = excluded.counts`,
      ).run(source, meta.importedAt, JSON.stringify(counts));
    })();
    return meta;
  }

  meta(): SnapshotMeta | undefined {
    const row = this.db.prepare('SELECT source, imported_at, counts FROM snapshot_meta WHERE id = 1').get() as
      { source: string; imported_at: string; counts: string } | undefined;
    return row
      ? { source: row.source, importedAt: row.imported_at, counts: JSON.parse(row.counts) as SnapshotCounts }
      : undefined;
  }

  /**
   * The names of a few records of the current snapshot, by SMS id, for messages about them ("Aroha
   * Ngata", "10ENG English", class "10ENG-A"); records gone from the snapshot are left out.
   */
  namesOf(ids: { people?: readonly string[]; courses?: readonly string[]; groups?: readonly string[] }): {
    people: Map<string, string>;
    courses: Map<string, string>;
    groups: Map<string, { name: string; courseSmsId: string }>;
  } {
    const lookup = <R>(sql: string, keys: readonly string[] | undefined): R[] =>
      keys && keys.length > 0 ? (this.db.prepare(sql).all(JSON.stringify([...new Set(keys)])) as R[]) : [];
    const people = lookup<{ sms_id: string; given_name: string; family_name: string }>(
      'SELECT sms_id, given_name, family_name FROM people WHERE sms_id IN (SELECT value FROM json_each(?))',
      ids.people,
    );
    const courses = lookup<{ sms_id: string; code: string; name: string }>(
      'SELECT sms_id, code, name FROM courses WHERE sms_id IN (SELECT value FROM json_each(?))',
      ids.courses,
    );
    const groups = lookup<{ sms_id: string; name: string; course_sms_id: string }>(
      'SELECT sms_id, name, course_sms_id FROM groups WHERE sms_id IN (SELECT value FROM json_each(?))',
      ids.groups,
    );
    return {
      people: new Map(people.map((p) => [p.sms_id, `${p.given_name} ${p.family_name}`.trim() || p.sms_id])),
      courses: new Map(courses.map((c) => [c.sms_id, `${c.code} ${c.name}`.trim()])),
      groups: new Map(groups.map((g) => [g.sms_id, { name: g.name, courseSmsId: g.course_sms_id }])),
    };
  }

  /** Students, staff, courses, classes and enrolments in the current snapshot, counted in SQL (no read). */
  roleCounts(): { students: number; staff: number; courses: number; groups: number; enrolments: number } {
    const row = this.db
      .prepare(
        `SELECT (SELECT count(*) FROM people WHERE role = 'student') AS students,
                (SELECT count(*) FROM people WHERE role = 'staff') AS staff,
                (SELECT count(*) FROM courses) AS courses,
                (SELECT count(*) FROM groups) AS groups,
                (SELECT count(*) FROM enrolments) AS enrolments`,
      )
      .get() as { students: number; staff: number; courses: number; groups: number; enrolments: number };
    return { ...row };
  }

  read(): Snapshot {
    const db = this.db;
    type P = {
      sms_id: string;
      role: 'student' | 'staff';
      given_name: string;
      family_name: string;
      email: string | null;
      username: string | null;
      active: number;
      extra: string | null;
    };
    type C = {
      sms_id: string;
      code: string;
      name: string;
      start_date: string | null;
      end_date: string | null;
      term: string | null;
      subject: string | null;
    };
    type G = { sms_id: string; course_sms_id: string; name: string };
    type E = {
      person_sms_id: string;
      course_sms_id: string;
      role: string;
      start_date: string | null;
      end_date: string | null;
      active: number;
      outcome: string | null;
      groups: string | null;
    };
    const opt = <T>(v: T | null): T | undefined => v ?? undefined;
    return {
      people: (db.prepare('SELECT * FROM people ORDER BY sms_id').all() as P[]).map((r) => ({
        smsId: r.sms_id,
        role: r.role,
        givenName: r.given_name,
        familyName: r.family_name,
        email: opt(r.email),
        username: opt(r.username),
        active: r.active === 1,
        ...(r.extra !== null ? { extra: storedExtra(r.extra, r.sms_id) } : {}),
      })),
      courses: (db.prepare('SELECT * FROM courses ORDER BY sms_id').all() as C[]).map((r) => ({
        smsId: r.sms_id,
        code: r.code,
        name: r.name,
        startDate: opt(r.start_date),
        endDate: opt(r.end_date),
        ...(r.term !== null ? { term: r.term } : {}),
        ...(r.subject !== null ? { subject: r.subject } : {}),
      })),
      groups: (db.prepare('SELECT * FROM groups ORDER BY sms_id').all() as G[]).map((r) => ({
        smsId: r.sms_id,
        courseSmsId: r.course_sms_id,
        name: r.name,
      })),
      // The classes come along as one text per enrolment (ids joined by a unit separator, which a
      // stored id never holds: the intake refuses control characters), so a read is one pass.
      enrolments: (
        db
          .prepare(
            `SELECT e.*, (SELECT group_concat(g.group_sms_id, char(31)) FROM enrolment_groups g
                          WHERE g.person_sms_id = e.person_sms_id AND g.course_sms_id = e.course_sms_id
                            AND g.role = e.role) AS groups
             FROM enrolments e ORDER BY e.person_sms_id, e.course_sms_id, e.role`,
          )
          .all() as E[]
      ).map((r) => ({
        personSmsId: r.person_sms_id,
        courseSmsId: r.course_sms_id,
        ...(r.groups ? { groupSmsIds: r.groups.split('\u001f').sort() } : {}),
        role: r.role,
        startDate: opt(r.start_date),
        endDate: opt(r.end_date),
        active: r.active === 1,
        ...(r.outcome !== null ? { outcome: r.outcome } : {}),
      })),
      ...readGuardians(db),
    };
  }
}

const ExtraSchema = z.record(z.string(), z.string());

/** A person's stored `extra` (written by replace() as a JSON object of strings), checked on the way out. */
function storedExtra(text: string, smsId: string): Record<string, string> {
  const parsed = ExtraSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`The stored snapshot's person ${smsId} has unreadable extra fields.`);
  return parsed.data;
}
