import { z } from 'zod';
import type { SmsAdapterDescriptor } from '../../descriptor';
import { COMMON_SMS_OPTIONS } from '../options';
import { guessCsvMapping } from './guess-mapping';
import { createCsvAdapter } from './index';
import { RESULTS_FILE } from './export-results';
import { csvResultsDestination } from './results-destination';

/** The column mapping is its own field (csvMapping, checked by CsvMappingSchema); options are the common ones. */
export const CsvOptionsSchema = z.strictObject({ ...COMMON_SMS_OPTIONS });
export type CsvOptions = z.infer<typeof CsvOptionsSchema>;

/** Plain CSV exports with a saved column mapping: CSV files, and the exports of SMSs with no direct link. */
export const csvDescriptor: SmsAdapterDescriptor<CsvOptions> = {
  id: 'csv',
  displayName: 'CSV',
  shortName: 'CSV',
  routes: ['file', 'push'],
  built: true,
  optionsSchema: CsvOptionsSchema,
  detect: ({ names }) => names.some((n) => n.endsWith('.csv') || n.endsWith('.txt')),
  create: ({ connection, path }) => createCsvAdapter({ mapping: connection?.csvMapping ?? guessCsvMapping(path) }),
  resultsWriter: ({ label, folder }) =>
    csvResultsDestination('csv', folder, `${RESULTS_FILE} in ${folder} for ${label} to import`),
  wizard: (provider) => ({
    routes: [
      provider.route === 'push'
        ? { mode: 'push', label: `Exports uploaded to ClassBridge's receiver`, available: true }
        : {
            mode: 'file',
            label: 'CSV file',
            available: true,
            source: {
              label: 'CSV file',
              hint: 'One combined CSV file with students, classes and enrolments; ClassBridge recognises the columns from its header row.',
              kind: 'file',
              placeholder: '/srv/exports/nat',
            },
          },
    ],
    hasUsernames: true,
    asksOutcomeRule: false,
    results: {
      where: 'results.csv, for the SMS to import.',
      overwrites:
        'Importing it into the SMS replaces the values already held for those students and courses (for example end-of-year judgements).',
    },
    setupSteps: provider.directLink
      ? [
          'Export students, classes and enrolments from the SMS as CSV (one combined file, or one file each).',
          'Choose the file(s) in ClassBridge and match the columns; the preview shows three sample records.',
        ]
      : [
          `${provider.label} has no public interface ClassBridge can connect to yet, so it cannot send changes by itself.`,
          `In ${provider.label}, export students, classes and enrolments as CSV (or a OneRoster export, if offered).`,
          'Either choose the exported file in ClassBridge, or have it uploaded to the ClassBridge receiver address with the username and the secret from Get Secret (docs/sms-providers.md shows the command).',
        ],
  }),
};
