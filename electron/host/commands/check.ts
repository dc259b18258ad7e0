import { SmsImportError, type SmsWarning } from '../../../adapters/contract';
import { SMS_PROVIDERS, SMS_PROVIDER_INFO, type SmsProvider } from '../../core/model';
import { detectSourceFormat, describeFormat, type SourceFormat } from '../../core/sms/detect-source';
import { readSmsSource } from '../../core/sms/import-snapshot';
import { createSmsAdapter } from '../../core/sms/sms-adapter-factory';
import type { Snapshot } from '../../core/model';
import { CommandFailed, UsageError, type Output } from './output';

const FORMATS: readonly SourceFormat[] = ['avetmiss', 'oneroster', 'kamar', 'csv'];

/** --provider takes an SMS (vettrak, kamar, …) or a format (avetmiss, oneroster, kamar, csv). */
export function formatFor(path: string, provider?: string): SourceFormat {
  if (provider !== undefined) {
    if ((FORMATS as readonly string[]).includes(provider)) return provider as SourceFormat;
    if ((SMS_PROVIDERS as readonly string[]).includes(provider))
      return SMS_PROVIDER_INFO[provider as SmsProvider].adapter;
    throw new UsageError(`Unknown --provider "${provider}". Use one of: ${[...SMS_PROVIDERS, ...FORMATS].join(', ')}.`);
  }
  const detected = detectSourceFormat(path);
  if (!detected)
    throw new UsageError(`Cannot tell what kind of export ${path} is (or it does not exist). Give --provider.`);
  return detected;
}

export interface CheckReport {
  valid: true;
  format: string;
  version?: string;
  counts: { students: number; staff: number; courses: number; groups: number; enrolments: number };
  warnings: SmsWarning[];
}

export function countSnapshot(snapshot: Snapshot): CheckReport['counts'] {
  return {
    students: snapshot.people.filter((p) => p.role === 'student').length,
    staff: snapshot.people.filter((p) => p.role === 'staff').length,
    courses: snapshot.courses.length,
    groups: snapshot.groups.length,
    enrolments: snapshot.enrolments.length,
  };
}

/**
 * `classbridge check <file|folder>`: reads and validates an SMS export without storing anything, so
 * an admin can test an export before connecting. Exit 0 valid, 1 invalid (with where and why).
 */
export async function checkCommand(path: string, options: { provider?: string }, out: Output): Promise<void> {
  const format = formatFor(path, options.provider);
  try {
    const adapter = await createSmsAdapter(format, { path });
    const { snapshot, warnings, version } = await readSmsSource(adapter, { kind: 'path', path });
    const report: CheckReport = {
      valid: true,
      format,
      ...(version ? { version } : {}),
      counts: countSnapshot(snapshot),
      warnings,
    };
    out.result(report, () => printReport(out, path, report));
  } catch (err) {
    if (err instanceof SmsImportError) {
      throw new CommandFailed(`${path} is not a valid ${describeFormat(format)} export: ${err.describe()}`, {
        valid: false,
        kind: err.kind,
        where: err.where,
      });
    }
    throw err;
  }
}

export function printReport(out: Output, path: string, report: Omit<CheckReport, 'valid'>): void {
  const c = report.counts;
  out.line(
    `${path}: valid ${describeFormat(report.format as SourceFormat)}${report.version ? ` (${report.version})` : ''}.`,
  );
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
