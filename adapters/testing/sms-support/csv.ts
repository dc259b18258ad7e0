import { SmsImportError, type SmsImportResult } from '../../contract';
import { createCsvAdapter } from '../../sms/csv';
import type { CsvMappingInput } from '../../sms/csv/mapping';

/** A small combined mapping for hand-written test files (headers ID, First, Last, Subject). */
export const SIMPLE_MAPPING = {
  mode: 'combined',
  file: 'in.csv',
  person: { smsId: 'ID', givenName: 'First', familyName: 'Last' },
  course: { smsId: 'Subject' },
} as const satisfies CsvMappingInput;

/** The same plus a Start date column on the course. */
export const DATED_MAPPING = {
  ...SIMPLE_MAPPING,
  course: { smsId: 'Subject', startDate: 'Start' },
} as const satisfies CsvMappingInput;

/** Imports in-memory files through the payload route (no disk needed). */
export function importFiles(
  files: Record<string, string | Uint8Array>,
  mapping: CsvMappingInput = SIMPLE_MAPPING,
): Promise<SmsImportResult> {
  const payloads = Object.entries(files).map(([name, content]) => ({ name, content }));
  return createCsvAdapter({ mapping }).import({ kind: 'payloads', payloads });
}

/** The SmsImportError an import throws (fails the test if it resolves or throws anything else). */
export async function importError(
  files: Record<string, string | Uint8Array>,
  mapping: CsvMappingInput = SIMPLE_MAPPING,
): Promise<SmsImportError> {
  try {
    await importFiles(files, mapping);
  } catch (error) {
    if (error instanceof SmsImportError) return error;
    throw error;
  }
  throw new Error('expected an SmsImportError');
}
