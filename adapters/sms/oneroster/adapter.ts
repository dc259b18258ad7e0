import {
  SmsImportError,
  type SmsAdapter,
  type SmsDescription,
  type SmsImportResult,
  type SmsSnapshot,
  type SmsWarning,
} from '../../contract';
import { startSnapshot, type SnapshotBuilder } from './build-snapshot';
import { exportContextFrom, type ExportContext } from './export-context';
import { DEFAULT_MAX_RECORD_CHARS, DEFAULT_ZIP_LIMITS, type OneRosterOptions } from './options';
import { readRoster } from './read-roster';
import { exportResults } from './results-export';
import { enrolmentRoleMapper } from './role-mapping';
import { openRosterSource } from './source';

/**
 * OneRoster 1.1 / 1.2 CSV (section E): reads a zip or folder into a snapshot, writes gradebook results back
 * as CSV. Pulling over the REST binding (E.2) is a later step, so capabilities.pull is false.
 */
/**
 * The base snapshot, read at most once and only when asked for: a bulk export (the usual case) never
 * needs it, and reading a 200,000-person snapshot out of the store would double the import's memory.
 */
function lazyBase(base: OneRosterOptions['base']): () => SmsSnapshot | undefined {
  if (typeof base !== 'function') return () => base;
  let read: { snapshot: SmsSnapshot | undefined } | undefined;
  return () => (read ??= { snapshot: base() }).snapshot;
}

export function createOneRosterAdapter(options: OneRosterOptions = {}): SmsAdapter {
  const courseFrom = options.courseFrom ?? 'class';
  const zipLimits = { ...DEFAULT_ZIP_LIMITS, ...options.zipLimits };
  const roleOf = enrolmentRoleMapper(options.enrolmentRoles);
  let lastImport: ExportContext | undefined;

  const describe = (): SmsDescription => {
    const version = lastImport?.version ?? options.version;
    return {
      provider: 'oneroster',
      ...(version ? { version: `OneRoster ${version}` } : {}),
      capabilities: { pull: false, push: false, file: true, resultsWriteBack: ['file'] },
    };
  };

  return {
    describe,
    async import(source): Promise<SmsImportResult> {
      if (source.kind !== 'path') {
        throw new SmsImportError('format', 'OneRoster CSV is read from a zip or folder, not pushed payloads', {
          expected: "{ kind: 'path' }",
          found: source.kind,
        });
      }
      const warnings: SmsWarning[] = [];
      const base = lazyBase(options.base);
      const roster = await openRosterSource(source.path, zipLimits);
      try {
        let builder: SnapshotBuilder | undefined;
        const data = await readRoster(
          roster,
          {
            courseFrom,
            maxRecordChars: options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
            base,
            beforeEnrollments: (read) => {
              const started = startSnapshot(read, { courseFrom, roleOf, base }, warnings);
              builder = started;
              return (record) => started.addEnrollment(record);
            },
          },
          warnings,
        );
        if (!builder) throw new Error('readRoster did not reach enrollments.csv');
        const snapshot = builder.finish();
        lastImport = exportContextFrom(data, snapshot, courseFrom, lastImport);
        return { snapshot, warnings, description: describe() };
      } finally {
        await roster.close();
      }
    },
    exportResults: (results, folder) =>
      exportResults(results, folder, lastImport?.version ?? options.version ?? '1.2', lastImport),
  };
}
