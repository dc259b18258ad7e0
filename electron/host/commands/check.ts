import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeSmsProblem, SmsImportError, type SmsProblem, type SmsWarning } from '../../../adapters/contract';
import { isSmsFormat, SMS_FORMATS, smsAdapterDescriptor, smsAdapterOf } from '../../../adapters/sms/registry';
import { SMS_PROVIDERS, SmsProviderSchema, type SmsConnection } from '../../core/model';
import { DATABASE_FILE } from '../../core/paths/data-dir';
import { detectSourceFormat, describeFormat, type SourceFormat } from '../../core/sms/detect-source';
import { checkImportResult } from '../../core/sms/import-snapshot';
import { readExport, smsConnectionOf } from '../../core/sms/read-export';
import type { Snapshot } from '../../core/model';
import { openStore, type Store } from '../../core/store/store';
import { CommandFailed, UsageError, type Output } from './output';

/** --provider takes an SMS (vettrak, kamar, …) or a format (avetmiss, oneroster, kamar, csv: adapters/sms/registry.ts). */
export function formatFor(path: string, provider?: string): SourceFormat {
  if (provider !== undefined) {
    if (isSmsFormat(provider)) return provider;
    const sms = SmsProviderSchema.safeParse(provider);
    if (sms.success) return smsAdapterOf(sms.data).id;
    throw new UsageError(
      `Unknown --provider "${provider}". Use one of: ${[...SMS_PROVIDERS, ...SMS_FORMATS.filter((f) => !(SMS_PROVIDERS as readonly string[]).includes(f))].join(', ')}.`,
    );
  }
  const detected = detectSourceFormat(path);
  if (!detected)
    throw new UsageError(`Cannot tell what kind of export ${path} is (or it does not exist). Give --provider.`);
  return detected;
}

/** The SMS connection's settings apply only to its own kind of export: another says nothing about this file. */
export function connectionFor(connection: SmsConnection | undefined, format: SourceFormat): SmsConnection | undefined {
  return connection && smsAdapterOf(connection.provider).id === format ? connection : undefined;
}

export interface CheckReport {
  valid: true;
  format: string;
  version?: string;
  /** The SMS connection whose settings the export was read with, when one is configured. */
  connection?: { id: string; name: string; options: Record<string, unknown>; csvMapping: boolean };
  counts: { students: number; staff: number; courses: number; groups: number; enrolments: number };
  warnings: SmsWarning[];
}

export function countSnapshot(snapshot: Snapshot): CheckReport['counts'] {
  let students = 0;
  for (const p of snapshot.people) if (p.role === 'student') students++;
  return {
    students,
    staff: snapshot.people.length - students,
    courses: snapshot.courses.length,
    groups: snapshot.groups.length,
    enrolments: snapshot.enrolments.length,
  };
}

/**
 * `classbridge check <file|folder>`: the pre-flight an admin can trust. It reads the export exactly as
 * `import` would — with the configured SMS connection's settings (course mapping, CSV columns) and,
 * for a delta, the current data — runs every check an import runs, and stores nothing. Exit 0 when
 * import would succeed, 1 with up to 100 problems (file, line, field) when it would not.
 */
export async function checkCommand(
  dataDir: string,
  path: string,
  options: { provider?: string },
  out: Output,
): Promise<void> {
  const store = existingStore(dataDir);
  try {
    const connection = store ? smsConnectionOf(store) : undefined;
    const format = formatFor(path, options.provider ?? connection?.provider);
    const applies = connectionFor(connection, format);
    try {
      const result = await readExport(path, {
        format,
        ...(applies ? { connection: applies } : {}),
        ...(store ? { store } : {}),
      });
      const { snapshot, warnings, version } = checkImportResult(result);
      const report: CheckReport = {
        valid: true,
        format,
        ...(version ? { version } : {}),
        ...(applies ? { connection: describeConnection(applies) } : {}),
        counts: countSnapshot(snapshot),
        warnings,
      };
      out.result(report, () => printReport(out, path, report));
    } catch (err) {
      if (err instanceof SmsImportError) throw refusal(path, format, err);
      throw err;
    }
  } finally {
    store?.close();
  }
}

/** The engine's database, when this data folder has one (check never creates one). */
function existingStore(dataDir: string): Store | undefined {
  const file = join(dataDir, DATABASE_FILE);
  return existsSync(file) ? openStore({ file }) : undefined;
}

function describeConnection(connection: SmsConnection): NonNullable<CheckReport['connection']> {
  return {
    id: connection.id,
    name: connection.name,
    options: connection.options,
    csvMapping: connection.csvMapping !== undefined,
  };
}

/** Every problem found (up to 100), in words and as data. */
export function refusal(path: string, format: SourceFormat, err: SmsImportError, lead?: string): CommandFailed {
  const heading = lead ?? `${path} is not a valid ${describeFormat(format)} export`;
  const problems: readonly SmsProblem[] = err.problems;
  const message =
    problems.length <= 1
      ? `${heading}: ${err.describe()}`
      : [`${heading}: ${problems.length} problems.`, ...problems.map((p) => `  - ${describeSmsProblem(p)}`)].join('\n');
  return new CommandFailed(message, { valid: false, kind: err.kind, where: err.where, problems });
}

export function printReport(out: Output, path: string, report: Omit<CheckReport, 'valid'>): void {
  const c = report.counts;
  out.line(`${path}: valid ${describeFormat(report.format)}${report.version ? ` (${report.version})` : ''}.`);
  if (report.connection) {
    // The options the format's descriptor says shape a read (courseFrom, includeFormClasses).
    const descriptor = smsAdapterDescriptor(report.format);
    const options = descriptor.optionsSchema.safeParse(report.connection.options);
    const settings = options.success ? (descriptor.describeOptions?.(options.data) ?? []) : [];
    if (report.connection.csvMapping) settings.push('its saved CSV column mapping');
    out.line(
      `  Read with the settings of the SMS connection "${report.connection.name}"${settings.length > 0 ? ` (${settings.join(', ')})` : ''}.`,
    );
  }
  out.line(
    `  ${c.students} students, ${c.staff} staff, ${c.courses} courses, ${c.groups} groups/classes, ${c.enrolments} enrolments`,
  );
  if (report.warnings.length > 0) {
    out.line(`  ${report.warnings.length} warning(s):`);
    for (const w of report.warnings.slice(0, 20)) {
      const where = [w.file, w.line !== undefined ? `line ${w.line}` : undefined, w.field].filter(Boolean).join(', ');
      out.line(`  - ${where ? `${where}: ` : ''}${w.message}`);
    }
    if (report.warnings.length > 20) out.line(`  … and ${report.warnings.length - 20} more (use --json for all).`);
  }
}
