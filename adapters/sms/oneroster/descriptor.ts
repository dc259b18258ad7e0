import { resolve, join } from 'node:path';
import { z } from 'zod';
import type { SmsAdapterDescriptor } from '../../descriptor';
import { COMMON_SMS_OPTIONS } from '../options';
import { missingSourceDestination, withSmsErrors } from '../results-writing';
import { createOneRosterAdapter } from './adapter';
import { oneRosterExportVersion } from './export-version';

export const OneRosterConnectionOptionsSchema = z.strictObject({
  ...COMMON_SMS_OPTIONS,
  /** Each OneRoster class is an LMS course ('class', default), or each course with its classes as groups. */
  courseFrom: z.enum(['class', 'course']).optional(),
});
export type OneRosterConnectionOptions = z.infer<typeof OneRosterConnectionOptionsSchema>;

/** OneRoster 1.1/1.2 CSV, a zip or a folder with manifest.csv; also uploaded to the receiver. */
export const oneRosterDescriptor: SmsAdapterDescriptor<OneRosterConnectionOptions> = {
  id: 'oneroster',
  displayName: 'OneRoster CSV',
  shortName: 'OneRoster',
  routes: ['file', 'push'],
  built: true,
  optionsSchema: OneRosterConnectionOptionsSchema,
  describeOptions: (o) => (o.courseFrom ? [`courseFrom: ${o.courseFrom}`] : []),
  detect: ({ names }) => names.includes('manifest.csv'),
  create: ({ options, base }) =>
    createOneRosterAdapter({ courseFrom: options.courseFrom ?? 'class', ...(base ? { base } : {}) }),
  resultsWriter({ connection, options, label, folder }) {
    const source = connection.source?.trim();
    if (!source) {
      return missingSourceDestination(
        'oneroster',
        `${label} results cannot be written: the SMS connection has no OneRoster export (source) to read classes and terms from.`,
        'Choose the OneRoster zip or folder in the SMS connection; gradebook line items need each class and its term.',
      );
    }
    return {
      route: 'oneroster',
      describe: `OneRoster lineItems.csv and results.csv in ${folder}, for ${label} to import`,
      // Results are written in the version of the export they are written against (1.1: a numeric score only).
      numericScoreOnly: async () => (await oneRosterExportVersion(source)) === '1.1',
      async write(records) {
        // Results carry only person and course; line items need each class's term and school, so the export
        // the snapshot came from is read again (only when there is something to write).
        const adapter = createOneRosterAdapter({ courseFrom: options.courseFrom ?? 'class' });
        await withSmsErrors(label, () => adapter.import({ kind: 'path', path: resolve(source) }), 'read');
        const report = await withSmsErrors(label, () => adapter.exportResults!(records, folder));
        return {
          written: report.records,
          where: join(folder, 'results.csv'),
          files: report.files,
          warnings: report.warnings,
        };
      },
    };
  },
  wizard: () => ({
    routes: [
      {
        mode: 'file',
        label: 'OneRoster export (zip or folder)',
        available: true,
        source: {
          label: 'OneRoster export',
          hint: 'A OneRoster 1.1 or 1.2 CSV bulk export: the zip file, or the folder with manifest.csv.',
          kind: 'folder-or-file',
          placeholder: '/srv/exports/oneroster.zip',
        },
      },
    ],
    hasUsernames: true,
    asksOutcomeRule: false,
    results: {
      where: 'OneRoster lineItems.csv and results.csv, for the SIS to import.',
      overwrites:
        'Importing them into the SIS replaces the scores already held for those line items (including scores entered by hand).',
    },
    setupSteps: [
      'In the SIS, export a OneRoster 1.1 or 1.2 CSV bulk file (a zip with manifest.csv).',
      'Save it where this computer can read it and choose it in ClassBridge (or upload it to the receiver with the secret).',
    ],
  }),
};
