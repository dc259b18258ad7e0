import { z } from 'zod';
import type { SmsAdapterDescriptor } from '../../descriptor';
import { COMMON_SMS_OPTIONS } from '../options';
import { createAvetmissAdapter } from './adapter';
import { avetmissResultsDestination } from './results-destination';
import { watchExportFolder } from './watch';

const codeOption = z.union([z.string().max(10), z.number()]).optional();

/** The SMS connection's options for an AVETMISS export (the outcome rule is flat: options are flat). */
export const AvetmissOptionsSchema = z.strictObject({
  ...COMMON_SMS_OPTIONS,
  /** One LMS course per unit of competency ('subject', default) or per qualification ('program'). */
  courseFrom: z.enum(['subject', 'program']).optional(),
  outcomePassPercent: z.union([z.number(), z.string().max(20)]).optional(),
  outcomeCompleted: codeOption,
  outcomeNotYetComplete: codeOption,
  outcomeFailed: codeOption,
  outcomeUngradedCompleted: codeOption,
});
export type AvetmissOptions = z.infer<typeof AvetmissOptionsSchema>;

/**
 * Every AVETMISS NAT file name (NAT00010 … NAT00130, NAT00030A), any case, with or without an
 * extension: `NAT00120`, `nat00100.TXT`. Five digits, not `nat000` + two, or NAT00100 and later
 * would be taken for CSV.
 */
function isNatFileName(lowerCaseName: string): boolean {
  return /^nat\d{5}a?(\.[^.]*)?$/.test(lowerCaseName);
}

/** AVETMISS 8.0 NAT files: what VETtrak, JobReady, PowerPro and Paradigm export. */
export const avetmissDescriptor: SmsAdapterDescriptor<AvetmissOptions> = {
  id: 'avetmiss',
  displayName: 'AVETMISS NAT files',
  shortName: 'AVETMISS',
  routes: ['file'],
  built: true,
  optionsSchema: AvetmissOptionsSchema,
  describeOptions: (o) => (o.courseFrom ? [`courseFrom: ${o.courseFrom}`] : []),
  detect: ({ names }) => names.some(isNatFileName),
  create: ({ options }) => createAvetmissAdapter({ courseFrom: options.courseFrom ?? 'subject' }),
  resultsWriter: avetmissResultsDestination,
  watch: (source, handlers) =>
    watchExportFolder(source, handlers.imported, {
      ...(handlers.settleMs !== undefined ? { settleMs: handlers.settleMs } : {}),
      importer: handlers.read,
      onError: handlers.refused,
    }),
  wizard: (provider) => ({
    routes: [
      {
        mode: 'file',
        label: 'AVETMISS export folder',
        available: true,
        source: {
          label: 'Export folder',
          hint: 'The folder the AVETMISS NAT export is saved into (the NAT files or their zip).',
          kind: 'folder',
          placeholder: '/srv/exports/nat',
        },
      },
    ],
    // NAT00080 has names, ids and email addresses only.
    hasUsernames: false,
    asksOutcomeRule: provider.directLink,
    results: {
      where: `${provider.label}'s NAT00120.txt, rewritten with outcome identifiers from the LMS results, for ${provider.label} to import.`,
      overwrites: `Importing it into ${provider.label} replaces the outcome already recorded for each of those enrolments (including outcomes entered by hand).`,
    },
    setupSteps: [
      `In ${provider.label}, run the AVETMISS 8.0 (NAT) export for the current collection period.`,
      'Save the NAT files (or the zip) into one folder that this computer can read, and choose that folder in ClassBridge.',
      'ClassBridge imports a new export as soon as its files have stopped changing.',
    ],
  }),
};
