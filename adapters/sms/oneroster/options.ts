import type { SmsSnapshot } from '../../contract';

/** OneRoster CSV versions this adapter reads and writes (E.1); 1.0 is refused. */
export type OneRosterVersion = '1.1' | '1.2';

/** What an enrolment role becomes in the snapshot; 'skip' leaves the enrolment out (with a warning). */
export type EnrolmentRoleTarget = 'student' | 'teacher' | 'skip';

export interface ZipLimits {
  /** Largest uncompressed size of one entry (default 1 GiB). */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together (default 2 GiB). */
  maxTotalBytes: number;
  /** Largest compression ratio for entries over 1 MiB (default 200; CSV is ~5–20, a deflate bomb ~1000). */
  maxRatio: number;
  /** Most entries in one archive (default 1000; a OneRoster zip has at most ~25 files). */
  maxEntries: number;
}

export interface OneRosterOptions {
  /**
   * 'class' (default): each OneRoster class becomes one LMS course (E.3 maps one LMS course to one
   * class). 'course': each OneRoster course becomes an LMS course and its classes become groups.
   */
  courseFrom?: 'class' | 'course';
  /**
   * The snapshot a delta import is applied to. Without it a delta manifest is refused. A function is
   * called only when the import needs the base (a delta or absent file, a 1.2 user with no role in
   * roles.csv), at most once; it may return undefined when there is no snapshot yet.
   */
  base?: SmsSnapshot | (() => SmsSnapshot | undefined);
  /** Version written by exportResults before anything was imported (default '1.2'). */
  version?: OneRosterVersion;
  /** Overrides for the enrolment role mapping (see README). */
  enrolmentRoles?: Partial<Record<string, EnrolmentRoleTarget>>;
  /** Archive safety limits (defaults in DEFAULT_ZIP_LIMITS). */
  zipLimits?: Partial<ZipLimits>;
  /** Longest CSV record in characters before the file is refused (default 1 MiB): stops an unbalanced quote
   * from swallowing a 200 MB file into memory. */
  maxRecordChars?: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxRatio: 200,
  maxEntries: 1000,
};

export const DEFAULT_MAX_RECORD_CHARS = 1024 * 1024;
