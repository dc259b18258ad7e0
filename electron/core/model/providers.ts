import { z } from 'zod';

/**
 * How an SMS gets its data to ClassBridge:
 * - push: the SMS (or a person, for providers without a direct link) sends to a receiver ClassBridge
 *   runs (needs *Get Secret*),
 * - file: the admin points ClassBridge at an export folder or file,
 * - api: ClassBridge calls the SMS's API with credentials.
 */
export const SmsRouteSchema = z.enum(['push', 'file', 'api']);
export type SmsRoute = z.infer<typeof SmsRouteSchema>;

export const SMS_PROVIDERS = [
  'vettrak',
  'jobready',
  'powerpro',
  'paradigm',
  'assembly',
  'etap',
  'kamar',
  'musac-edge',
  'oneroster',
  'csv',
] as const;
export const SmsProviderSchema = z.enum(SMS_PROVIDERS);
export type SmsProvider = z.infer<typeof SmsProviderSchema>;

export interface SmsProviderInfo {
  label: string;
  /** The route this provider uses today. */
  route: SmsRoute;
  /** Which ClassBridge adapter reads its data. */
  adapter: 'avetmiss' | 'oneroster' | 'kamar' | 'csv';
  /**
   * False where the provider has no public interface ClassBridge can use yet: data then comes as a
   * CSV or OneRoster export, uploaded to ClassBridge's receiver with the secret or picked as a file.
   */
  directLink: boolean;
  /** What the admin does on the SMS side, in order (shown by the setup wizard). */
  setupSteps: string[];
}

const NAT_EXPORT_STEPS = (product: string): string[] => [
  `In ${product}, run the AVETMISS 8.0 (NAT) export for the current collection period.`,
  'Save the NAT files (or the zip) into one folder that this computer can read, and choose that folder in ClassBridge.',
  'ClassBridge imports a new export as soon as its files have stopped changing.',
];

const UPLOAD_STEPS = (product: string): string[] => [
  `${product} has no public interface ClassBridge can connect to yet, so it cannot send changes by itself.`,
  `In ${product}, export students, classes and enrolments as CSV (or a OneRoster export, if offered).`,
  'Either choose the exported file in ClassBridge, or have it uploaded to the ClassBridge receiver address with the username and the secret from Get Secret (docs/sms-providers.md shows the command).',
];

export const SMS_PROVIDER_INFO: Record<SmsProvider, SmsProviderInfo> = {
  vettrak: {
    label: 'VETtrak',
    route: 'file',
    adapter: 'avetmiss',
    directLink: true,
    setupSteps: NAT_EXPORT_STEPS('VETtrak'),
  },
  jobready: {
    label: 'JobReady',
    route: 'file',
    adapter: 'avetmiss',
    directLink: true,
    setupSteps: NAT_EXPORT_STEPS('JobReady'),
  },
  powerpro: {
    label: 'PowerPro',
    route: 'file',
    adapter: 'avetmiss',
    directLink: true,
    setupSteps: NAT_EXPORT_STEPS('PowerPro'),
  },
  paradigm: {
    label: 'Paradigm',
    route: 'file',
    adapter: 'avetmiss',
    directLink: true,
    setupSteps: NAT_EXPORT_STEPS('Paradigm'),
  },
  assembly: {
    label: 'Assembly',
    route: 'push',
    adapter: 'csv',
    directLink: false,
    setupSteps: UPLOAD_STEPS('Assembly'),
  },
  etap: { label: 'eTAP', route: 'push', adapter: 'csv', directLink: false, setupSteps: UPLOAD_STEPS('eTAP') },
  kamar: {
    label: 'KAMAR',
    route: 'push',
    adapter: 'kamar',
    directLink: true,
    setupSteps: [
      'In ClassBridge, use Get Secret, and note the receiver address and the certificate fingerprint it shows.',
      'In KAMAR, open the Directory Services set-up, add a service with that address, the username "classbridge" and the secret, and accept the certificate whose fingerprint matches.',
      'Tick the data ClassBridge needs (students, staff, classes/timetables) and run a full update once; KAMAR then sends changes by itself.',
    ],
  },
  'musac-edge': {
    label: 'Musac Edge',
    route: 'push',
    adapter: 'csv',
    directLink: false,
    setupSteps: UPLOAD_STEPS('Musac Edge'),
  },
  oneroster: {
    label: 'OneRoster SIS',
    route: 'file',
    adapter: 'oneroster',
    directLink: true,
    setupSteps: [
      'In the SIS, export a OneRoster 1.1 or 1.2 CSV bulk file (a zip with manifest.csv).',
      'Save it where this computer can read it and choose it in ClassBridge (or upload it to the receiver with the secret).',
    ],
  },
  csv: {
    label: 'CSV files',
    route: 'file',
    adapter: 'csv',
    directLink: true,
    setupSteps: [
      'Export students, classes and enrolments from the SMS as CSV (one combined file, or one file each).',
      'Choose the file(s) in ClassBridge and match the columns; the preview shows three sample records.',
    ],
  },
};

export const LMS_PROVIDERS = ['moodle', 'totara'] as const;
export const LmsProviderSchema = z.enum(LMS_PROVIDERS);
export type LmsProvider = z.infer<typeof LmsProviderSchema>;
