import type { Database, Statement } from 'better-sqlite3';

/** The sections of an applied state, as stored: each holds one row per key. */
export const APPLIED_SECTIONS = [
  'people',
  'courses',
  'groups',
  'enrolments',
  'memberships',
  'links.people',
  'links.courses',
  'links.groups',
] as const;
export type AppliedSection = (typeof APPLIED_SECTIONS)[number];

/** A whole applied state as the planner shapes it (the store does not look inside the records). */
export interface StoredAppliedState {
  version: unknown;
  people: Readonly<Record<string, unknown>>;
  courses: Readonly<Record<string, unknown>>;
  groups: Readonly<Record<string, unknown>>;
  enrolments: Readonly<Record<string, unknown>>;
  memberships: Readonly<Record<string, unknown>>;
  links: {
    people: Readonly<Record<string, unknown>>;
    courses: Readonly<Record<string, unknown>>;
    groups: Readonly<Record<string, unknown>>;
  };
}

/** One entry to set (value given) or remove (value undefined). */
export interface AppliedChange {
  section: AppliedSection;
  key: string;
  value?: unknown;
}

/** A stored entry, its value still JSON text. */
export type AppliedEntryRow = [section: string, key: string, value: string];

function sectionOf(state: StoredAppliedState, section: AppliedSection): Readonly<Record<string, unknown>> {
  switch (section) {
    case 'links.people':
      return state.links.people;
    case 'links.courses':
      return state.links.courses;
    case 'links.groups':
      return state.links.groups;
    default:
      return state[section];
  }
}

/**
 * The upload planner's AppliedState per LMS connection: a header row (`applied_state`: the version,
 * when it last changed) and one row per entry (`applied_entries`, the record as JSON), so an apply
 * writes only what it changed. The store does not interpret the records (the planner owns their
 * schema and checks them on read); a connection never applied to has no header.
 */
export class AppliedStateRepository {
  private statements?: {
    header: Statement;
    entries: Statement;
    writeHeader: Statement;
    upsert: Statement;
    remove: Statement;
    clear: Statement;
  };

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  private get sql() {
    this.statements ??= {
      header: this.db.prepare('SELECT state, updated_at FROM applied_state WHERE connection_id = ?'),
      entries: this.db
        .prepare('SELECT section, key, value FROM applied_entries WHERE connection_id = ? ORDER BY id')
        .raw(true),
      writeHeader: this.db.prepare(
        `INSERT INTO applied_state (connection_id, state, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (connection_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      ),
      upsert: this.db.prepare(
        `INSERT INTO applied_entries (connection_id, section, key, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (connection_id, section, key) DO UPDATE SET value = excluded.value`,
      ),
      remove: this.db.prepare('DELETE FROM applied_entries WHERE connection_id = ? AND section = ? AND key = ?'),
      clear: this.db.prepare('DELETE FROM applied_entries WHERE connection_id = ?'),
    };
    return this.statements;
  }

  /** The header (`{ version }`, parsed) and when the state last changed; undefined when nothing was applied. */
  header(connectionId: string): { header: unknown; updatedAt: string } | undefined {
    const row = this.sql.header.get(connectionId) as { state: string; updated_at: string } | undefined;
    return row ? { header: JSON.parse(row.state) as unknown, updatedAt: row.updated_at } : undefined;
  }

  /** Every entry, in the order they were first written, values as JSON text (the planner parses and checks them). */
  entries(connectionId: string): IterableIterator<AppliedEntryRow> {
    return this.sql.entries.iterate(connectionId) as IterableIterator<AppliedEntryRow>;
  }

  /** The whole state as one plain object (header fields plus every section), or undefined. Not validated. */
  read(connectionId: string): unknown {
    const head = this.header(connectionId);
    if (head === undefined) return undefined;
    const state: Record<string, unknown> & { links: Record<string, Record<string, unknown>> } = {
      ...(head.header as object),
      people: {},
      courses: {},
      groups: {},
      enrolments: {},
      memberships: {},
      links: { people: {}, courses: {}, groups: {} },
    };
    for (const [section, key, value] of this.entries(connectionId)) {
      const dot = section.indexOf('.');
      const target = (dot < 0 ? state[section] : state.links[section.slice(dot + 1)]) as Record<string, unknown>;
      target[key] = JSON.parse(value) as unknown;
    }
    return state;
  }

  /** Replaces the whole state of a connection. */
  write(connectionId: string, state: StoredAppliedState): void {
    const sql = this.sql;
    this.db.transaction(() => {
      sql.writeHeader.run(connectionId, JSON.stringify({ version: state.version }), this.now().toISOString());
      sql.clear.run(connectionId);
      for (const section of APPLIED_SECTIONS) {
        const entries = sectionOf(state, section);
        for (const key in entries) sql.upsert.run(connectionId, section, key, JSON.stringify(entries[key]));
      }
    })();
  }

  /** Sets and removes single entries (and stamps the header), in one transaction. */
  change(connectionId: string, version: unknown, changes: Iterable<AppliedChange>): void {
    const sql = this.sql;
    this.db.transaction(() => {
      sql.writeHeader.run(connectionId, JSON.stringify({ version }), this.now().toISOString());
      for (const c of changes) {
        if (c.value === undefined) sql.remove.run(connectionId, c.section, c.key);
        else sql.upsert.run(connectionId, c.section, c.key, JSON.stringify(c.value));
      }
    })();
  }
}
