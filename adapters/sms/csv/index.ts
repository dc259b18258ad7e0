import { SmsImportError, type SmsAdapter, type SmsDescription } from '../../contract';
import { exportResults } from './export-results';
import { importCsv } from './import';
import { CsvMappingSchema, type CsvMapping, type CsvMappingInput } from './mapping';

export { CsvMappingSchema, type CsvMapping, type CsvMappingInput } from './mapping';
export { suggestMapping, type MappingSuggestion, type SeparateFileHeaders } from './suggest';
export { exportResults, RESULTS_FILE } from './export-results';
export type { CsvPayload } from './inputs';
export { firstLineOf, notCsvText } from './text/file-kind';

export interface CsvAdapterOptions {
  /** The mapping saved with the connection; checked here with CsvMappingSchema. */
  mapping: CsvMappingInput | Readonly<Record<string, unknown>>;
}

/** Checks a saved mapping; a bad one is an SmsImportError naming the first wrong field. */
export function parseCsvMapping(value: unknown): CsvMapping {
  const parsed = CsvMappingSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw new SmsImportError(
    'missing',
    `The column mapping is incomplete or wrong at ${field || 'the top level'}: ${issue?.message ?? ''}`,
    {
      field,
      expected: issue?.message,
    },
  );
}

/**
 * Plain CSV exports with a per-connection column mapping (one combined file or separate files).
 * Results go back as results.csv in a folder the SMS (or a person) imports from.
 */
export function createCsvAdapter(options: CsvAdapterOptions): SmsAdapter {
  const description: SmsDescription = {
    provider: 'csv',
    capabilities: { pull: false, push: false, file: true, resultsWriteBack: ['file'] },
  };
  return {
    describe: () => ({ ...description, capabilities: { ...description.capabilities } }),
    async import(source) {
      const mapping = parseCsvMapping(options.mapping);
      return importCsv(mapping, source, description);
    },
    exportResults,
  };
}
