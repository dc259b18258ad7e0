import { z } from 'zod';

/**
 * How an SMS gets its data to ClassBridge:
 * - push: the SMS sends to a receiver ClassBridge runs (needs *Get Secret*),
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
  /** The route this provider uses today; the SMS adapters issue fills in the rest. */
  route: SmsRoute;
}

export const SMS_PROVIDER_INFO: Record<SmsProvider, SmsProviderInfo> = {
  vettrak: { label: 'VETtrak', route: 'file' },
  jobready: { label: 'JobReady', route: 'file' },
  powerpro: { label: 'PowerPro', route: 'file' },
  paradigm: { label: 'Paradigm', route: 'file' },
  assembly: { label: 'Assembly', route: 'push' },
  etap: { label: 'eTAP', route: 'push' },
  kamar: { label: 'KAMAR', route: 'push' },
  'musac-edge': { label: 'Musac Edge', route: 'push' },
  oneroster: { label: 'OneRoster SIS', route: 'file' },
  csv: { label: 'CSV files', route: 'file' },
};

export const LMS_PROVIDERS = ['moodle', 'totara'] as const;
export const LmsProviderSchema = z.enum(LMS_PROVIDERS);
export type LmsProvider = z.infer<typeof LmsProviderSchema>;
