import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmsImportError, type SmsResultRecord } from '../../contract';
import { avetmissFiles, type NatFiles } from '../sms-fixtures/avetmiss';
import { generateSchool, SIZE_S } from '../sms-fixtures/school';

/** Test helpers (not shipped logic): temp folders and the S-size AU fixture. */
export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cb-avetmiss-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function schoolS(seed = 11) {
  return generateSchool({ seed, size: SIZE_S, country: 'au' });
}

export function filesS(seed = 11): NatFiles {
  return avetmissFiles(schoolS(seed));
}

/** The SmsImportError a promise rejects with (fails the test on success or any other error). */
export async function importError(promise: Promise<unknown>): Promise<SmsImportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SmsImportError) return error;
    throw new Error(`expected an SmsImportError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an SmsImportError, but the import succeeded');
}

/** Replaces `length` characters at 1-based `column` of line `lineNo` (1-based) of a NAT file. */
export function patchLine(content: string, lineNo: number, column: number, text: string): string {
  const lines = content.split('\r\n');
  const line = lines[lineNo - 1] ?? '';
  lines[lineNo - 1] = line.slice(0, column - 1) + text + line.slice(column - 1 + text.length);
  return lines.join('\r\n');
}

/** One LMS result to export (any provider's): a completed pass at 72.5 %, `over` changing any of it. */
export function resultRecord(
  personSmsId: string,
  courseSmsId: string,
  over: Partial<SmsResultRecord> = {},
): SmsResultRecord {
  return {
    personSmsId,
    courseSmsId,
    progressPercent: 100,
    grade: '72.50',
    gradePercent: 72.5,
    completed: true,
    updatedAt: '2026-11-20T03:00:00.000Z',
    ...over,
  };
}
