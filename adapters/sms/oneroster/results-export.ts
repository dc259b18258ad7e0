import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { SmsExportReport, SmsResultRecord, SmsWarning } from '../../contract';
import type { ExportContext } from './export-context';
import type { OneRosterVersion } from './options';
import { CATEGORY_COLUMNS, gradebookRows, LINE_ITEM_COLUMNS, RESULT_COLUMNS } from './results-rows';

/**
 * Writes the OneRoster gradebook files an SIS imports (E.3): lineItems.csv, results.csv, categories.csv (1.1
 * line items must name a category) and manifest.csv. The files are a delta: they list only ClassBridge's line
 * items and results, and a bulk file would tell the SIS to remove every other result it holds (E.1 bulk
 * semantics). Each file is written to a temporary name and renamed, so a half-written set is never picked up.
 */
const ALL_FILES: Record<OneRosterVersion, string[]> = {
  '1.1': [
    'academicSessions',
    'categories',
    'classes',
    'classResources',
    'courses',
    'courseResources',
    'demographics',
    'enrollments',
    'lineItems',
    'orgs',
    'resources',
    'results',
    'users',
  ],
  '1.2': [
    'academicSessions',
    'categories',
    'classes',
    'classResources',
    'courses',
    'courseResources',
    'demographics',
    'enrollments',
    'lineItemLearningObjectiveIds',
    'lineItems',
    'lineItemScoreScales',
    'orgs',
    'resources',
    'resultLearningObjectiveIds',
    'results',
    'resultScoreScales',
    'roles',
    'scoreScales',
    'userProfiles',
    'userResources',
    'users',
  ],
};
const WRITTEN = new Set(['categories', 'lineItems', 'results']);

function csv(columns: string[], rows: readonly Record<string, string>[]): string {
  return stringify([...rows], { header: true, columns, record_delimiter: 'windows' });
}

function manifest(version: OneRosterVersion): string {
  const rows = [
    ['manifest.version', '1.0'],
    ['oneroster.version', version],
    ...ALL_FILES[version].map((file) => [`file.${file}`, WRITTEN.has(file) ? 'delta' : 'absent']),
    ['source.systemName', 'ClassBridge'],
    ['source.systemCode', 'classbridge'],
  ];
  return stringify(rows, { header: true, columns: ['propertyName', 'value'], record_delimiter: 'windows' });
}

export async function exportResults(
  results: readonly SmsResultRecord[],
  folder: string,
  version: OneRosterVersion,
  ctx: ExportContext | undefined,
  now = new Date(),
): Promise<SmsExportReport> {
  const warnings: SmsWarning[] = [];
  const rows = gradebookRows(results, ctx, version, now, warnings);
  const target = resolve(folder);
  await mkdir(target, { recursive: true });
  const contents: [string, string][] = [
    ['categories.csv', csv(CATEGORY_COLUMNS, rows.categories)],
    ['lineItems.csv', csv(LINE_ITEM_COLUMNS[version], rows.lineItems)],
    ['results.csv', csv(RESULT_COLUMNS[version], rows.results)],
    // The manifest last: an SIS watching the folder sees a complete set once it appears.
    ['manifest.csv', manifest(version)],
  ];
  const files: string[] = [];
  for (const [name, text] of contents) {
    const path = join(target, name);
    await writeFile(`${path}.partial`, text, 'utf8');
    await rename(`${path}.partial`, path);
    files.push(path);
  }
  return { files, records: rows.results.length, warnings };
}
