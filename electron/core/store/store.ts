import type Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openDatabase, type MigrationReport, type OpenDatabaseOptions } from './open-database';
import { AppliedStateRepository } from './repositories/applied-state-repository';
import { ConnectionsRepository } from './repositories/connections-repository';
import { DataFolderRepository } from './repositories/data-folder-repository';
import { HeldPlansRepository } from './repositories/held-plans-repository';
import { KamarSpoolRepository } from './repositories/kamar-spool-repository';
import { LeaveAloneRepository } from './repositories/leave-alone-repository';
import { LinkDecisionsRepository } from './repositories/link-decisions-repository';
import { LinksRepository } from './repositories/links-repository';
import { LmsCoursesRepository } from './repositories/lms-courses-repository';
import { LmsRolesRepository } from './repositories/lms-roles-repository';
import { ParentsRepository } from './repositories/parents-repository';
import { ResultsRepository } from './repositories/results-repository';
import { ResultReviewsRepository } from './repositories/result-reviews-repository';
import { RunsRepository } from './repositories/runs-repository';
import { SettingsRepository } from './repositories/settings-repository';
import { SnapshotRepository } from './repositories/snapshot-repository';
import { WriteLeaseRepository } from './repositories/write-lease-repository';

/** The database and one repository per concern. Opened once per process by whoever runs the engine. */
export interface Store {
  readonly file: string;
  readonly db: Database.Database;
  readonly migration: MigrationReport;
  readonly settings: SettingsRepository;
  readonly connections: ConnectionsRepository;
  readonly runs: RunsRepository;
  readonly snapshot: SnapshotRepository;
  readonly links: LinksRepository;
  /** Existing LMS accounts waiting for the admin's Link / Create / Skip (migration 013). */
  readonly linkDecisions: LinkDecisionsRepository;
  readonly lmsCourses: LmsCoursesRepository;
  readonly lmsRoles: LmsRolesRepository;
  readonly results: ResultsRepository;
  /** Results delivery's memory: last delivery per record and the review queue (migration 022). */
  readonly resultReviews: ResultReviewsRepository;
  readonly appliedState: AppliedStateRepository;
  readonly heldPlans: HeldPlansRepository;
  /** The folder's identity, which keys its secrets in the OS keychain. */
  readonly dataFolder: DataFolderRepository;
  /** One writer per LMS across processes (the app, `classbridge serve`, a `classbridge sync`). */
  readonly writeLeases: WriteLeaseRepository;
  /** KAMAR chunks answered "OK" and not yet ended as a run (migration 015). */
  readonly kamarSpool: KamarSpoolRepository;
  /** Records the admin told ClassBridge not to touch, per LMS connection (migration 017). */
  readonly leaveAlone: LeaveAloneRepository;
  /** What the parents rule applied per LMS connection: guardians' accounts and parent roles (migration 020). */
  readonly parents: ParentsRepository;
  close(): void;
}

/**
 * The database holds what KAMAR pushed (names, classes) and the school's links: readable by this user
 * only. SQLite gives its -wal and -shm files the database file's permissions. On Windows chmod only
 * sets read-only, so the user profile's ACL is what protects it there.
 */
function readableByThisUserOnly(file: string): void {
  if (process.platform === 'win32') return;
  try {
    chmodSync(file, 0o600);
  } catch {
    // A file this process does not own (a shared data folder): its owner decides.
  }
}

export function openStore(options: OpenDatabaseOptions): Store {
  mkdirSync(dirname(options.file), { recursive: true });
  const now = options.now ?? (() => new Date());
  const { db, migration } = openDatabase({ ...options, now });
  readableByThisUserOnly(options.file);
  return {
    file: options.file,
    db,
    migration,
    settings: new SettingsRepository(db),
    connections: new ConnectionsRepository(db, now),
    runs: new RunsRepository(db, now),
    snapshot: new SnapshotRepository(db, now),
    links: new LinksRepository(db, now),
    linkDecisions: new LinkDecisionsRepository(db, now),
    lmsCourses: new LmsCoursesRepository(db, now),
    lmsRoles: new LmsRolesRepository(db, now),
    results: new ResultsRepository(db, now),
    resultReviews: new ResultReviewsRepository(db, now),
    appliedState: new AppliedStateRepository(db, now),
    heldPlans: new HeldPlansRepository(db, now),
    dataFolder: new DataFolderRepository(db),
    writeLeases: new WriteLeaseRepository(db, now),
    kamarSpool: new KamarSpoolRepository(db),
    leaveAlone: new LeaveAloneRepository(db, now),
    parents: new ParentsRepository(db, now),
    close: () => db.close(),
  };
}

export { StoreError } from './errors';
export type { MigrationReport } from './open-database';
