import { SmsImportError, SmsProblemList, type SmsSnapshot, type SmsWarning } from '../../contract';
import { fileName, readOrder, type RosterFile } from './columns';
import { MAX_MANIFEST_BYTES, missingManifest, parseManifest, type FileMode, type Manifest } from './manifest';
import type { OneRosterVersion } from './options';
import { readEnrollments } from './read-enrollments';
import { readRoles, readUserProfiles, readUsers } from './read-people';
import { readClasses, readCourses, readOrgs, readSessions } from './read-structure';
import { baseIdsOf, type EnrollmentRecord, type ReadContext, type RosterData } from './roster-data';
import { WarningTally } from './row-notes';
import type { RosterSource } from './source';

/**
 * Reads a whole OneRoster CSV set: the manifest first (version, bulk/delta/absent per file), then each
 * file in an order where every reference points back at something already read. Throws SmsImportError
 * on the first structural problem; damaged names (control characters) are collected across files (up to
 * MAX_SMS_PROBLEMS) and refused together at the end. Nothing is returned half-read.
 */
export interface ReadRosterOptions {
  courseFrom: 'class' | 'course';
  maxRecordChars: number;
  /** The previous snapshot, asked for only when something needs it (a delta, an absent file). */
  base: () => SmsSnapshot | undefined;
  /**
   * Called once everything but enrollments.csv is read: returns where each enrolment row goes, so the
   * rows are built into the snapshot as they stream past instead of being held.
   */
  beforeEnrollments: (data: RosterData) => (record: EnrollmentRecord) => void;
}

const READERS: Record<RosterFile, (ctx: ReadContext) => Promise<void>> = {
  orgs: readOrgs,
  academicSessions: readSessions,
  courses: readCourses,
  classes: readClasses,
  users: readUsers,
  roles: readRoles,
  userProfiles: readUserProfiles,
  enrollments: readEnrollments,
};

export async function readRoster(
  source: RosterSource,
  options: ReadRosterOptions,
  warnings: SmsWarning[],
): Promise<RosterData> {
  const manifest = parseManifest(await readManifestText(source), warnings);
  const order = readOrder(manifest.version);
  const modes = fileModes(manifest, order, warnings);
  checkModes(modes, manifest.version, options);
  warnAboutUnreadFiles(source, modes, warnings);
  const data: RosterData = { version: manifest.version, modes };
  let baseIds: ReturnType<typeof baseIdsOf> | undefined;
  const ctx: ReadContext = {
    source,
    data,
    warnings,
    notes: { tally: new WarningTally(), problems: new SmsProblemList() },
    maxRecordChars: options.maxRecordChars,
    courseFrom: options.courseFrom,
    baseIds: () => {
      const base = options.base();
      return base ? (baseIds ??= baseIdsOf(base, options.courseFrom)) : undefined;
    },
  };
  for (const file of order) {
    if (file === 'enrollments') ctx.onEnrollment = options.beforeEnrollments(data);
    if (modes.get(file) === 'absent') continue;
    await READERS[file](ctx);
    // One warning per file and field, in file order, rather than one per row.
    ctx.notes.tally.flushInto(warnings);
  }
  ctx.notes.problems.throwIfAny();
  return data;
}

export async function readManifestText(source: RosterSource): Promise<string> {
  const stored = source.files.get('manifest.csv');
  if (stored === undefined) throw missingManifest(source.label);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source.open(stored)) {
    size += chunk.length;
    if (size > MAX_MANIFEST_BYTES) {
      throw new SmsImportError('too-large', 'manifest.csv is too large', {
        file: 'manifest.csv',
        expected: `at most ${MAX_MANIFEST_BYTES} bytes`,
      });
    }
    chunks.push(chunk);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new SmsImportError('encoding', 'manifest.csv is not valid UTF-8', {
      file: 'manifest.csv',
      expected: 'UTF-8',
    });
  }
}

/** Manifest names are matched without case (samples differ: userProfiles / userprofiles). */
function fileModes(manifest: Manifest, order: RosterFile[], warnings: SmsWarning[]): Map<RosterFile, FileMode> {
  const modes = new Map<RosterFile, FileMode>(order.map((file) => [file, 'absent']));
  const byLower = new Map(order.map((file) => [file.toLowerCase(), file]));
  for (const [name, mode] of manifest.files) {
    const file = byLower.get(name.toLowerCase());
    if (file) modes.set(file, mode);
    else if (mode !== 'absent') {
      warnings.push({
        message: `${name}.csv is listed as ${mode} but ClassBridge does not import it`,
        file: 'manifest.csv',
        field: `file.${name}`,
      });
    }
  }
  return modes;
}

function checkModes(modes: Map<RosterFile, FileMode>, version: OneRosterVersion, options: ReadRosterOptions): void {
  const deltaFiles = [...modes].filter(([, mode]) => mode === 'delta').map(([file]) => file);
  if (deltaFiles.length > 0 && !options.base()) {
    throw new SmsImportError(
      'missing',
      'this is a delta export (only changes); it can only be applied to the previous snapshot, and none was given',
      {
        file: 'manifest.csv',
        field: `file.${deltaFiles[0]}`,
        expected: 'options.base (the previous snapshot)',
        found: 'delta',
      },
    );
  }
  const needed: RosterFile[] = ['users', 'classes', 'enrollments'];
  if (version === '1.2') needed.push('roles');
  if (options.courseFrom === 'course') needed.push('courses');
  // A file not given in bulk is kept from the previous snapshot, so only then is that snapshot asked for.
  const notBulk = needed.find((file) => modes.get(file) !== 'bulk');
  if (notBulk === undefined || options.base()) return;
  throw new SmsImportError('missing', `a first import needs ${fileName(notBulk)} in bulk`, {
    file: 'manifest.csv',
    field: `file.${notBulk}`,
    expected: 'bulk',
    found: modes.get(notBulk) ?? 'absent',
  });
}

function warnAboutUnreadFiles(source: RosterSource, modes: Map<RosterFile, FileMode>, warnings: SmsWarning[]): void {
  for (const [file, mode] of modes) {
    if (mode === 'absent' && source.files.has(fileName(file).toLowerCase())) {
      warnings.push({
        message: `${fileName(file)} is present but manifest.csv marks it absent; it was not read`,
        file: fileName(file),
      });
    }
  }
}
