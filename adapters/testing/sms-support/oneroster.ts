import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SmsImportError, type SmsImportErrorKind, type SmsImportResult } from '../../contract';
import { oneRosterFiles, writeFolder, zipBytes } from '../sms-fixtures/oneroster';
import { generateSchool, SIZE_S } from '../sms-fixtures';
import { createOneRosterAdapter, type OneRosterOptions } from '../../sms/oneroster';

/** Shared by this folder's tests: temp folders, the S school as OneRoster files, and error assertions. */
export const school = generateSchool({ seed: 7, size: SIZE_S, country: 'nz' });

const made: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'oneroster-'));
  made.push(dir);
  return dir;
}

export async function cleanTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function schoolFiles(version: '1.1' | '1.2' = '1.2'): Record<string, string> {
  return oneRosterFiles(school, { version });
}

export async function importFolder(
  files: Record<string, string>,
  options: OneRosterOptions = {},
): Promise<SmsImportResult> {
  const dir = await writeFolder(files, await tempDir());
  return createOneRosterAdapter(options).import({ kind: 'path', path: dir });
}

export async function importZip(
  files: Record<string, string | Uint8Array> | Uint8Array,
  options: OneRosterOptions = {},
): Promise<SmsImportResult> {
  const path = join(await tempDir(), 'roster.zip');
  await writeFile(path, files instanceof Uint8Array ? files : zipBytes(files));
  return createOneRosterAdapter(options).import({ kind: 'path', path });
}

export async function expectImportError(
  attempt: Promise<unknown>,
  kind: SmsImportErrorKind,
  where: Partial<SmsImportError['where']> = {},
): Promise<SmsImportError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the import to fail').toBeInstanceOf(SmsImportError);
  const importError = error as SmsImportError;
  expect({ kind: importError.kind, message: importError.describe() }).toMatchObject({ kind });
  expect(importError.where).toMatchObject(where);
  return importError;
}

/** Replaces one file's text with a transform of it. */
export function withFile(
  files: Record<string, string>,
  name: string,
  change: (text: string) => string,
): Record<string, string> {
  return { ...files, [name]: change(files[name] ?? '') };
}
