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

/**
 * One SMS product the admin can pick. Providers are rows: what they read with is an adapter, described
 * once by its descriptor (adapters/sms/<adapter>/descriptor.ts, listed in adapters/sms/registry.ts), and
 * several providers share one (VETtrak, JobReady, PowerPro and Paradigm all export AVETMISS NAT files).
 * The rows are plain data here, in the model, so the renderer can name a provider without the Api.
 */
export interface SmsProviderInfo {
  label: string;
  /** The route this provider uses today. */
  route: SmsRoute;
  /** The id of the adapter descriptor that reads its data on that route (adapters/sms/registry.ts). */
  adapter: string;
  /**
   * False where the provider has no public interface ClassBridge can use yet: data then comes as a
   * CSV or OneRoster export, uploaded to ClassBridge's receiver with the secret or picked as a file.
   */
  directLink: boolean;
}

export const SMS_PROVIDER_INFO: Record<SmsProvider, SmsProviderInfo> = {
  vettrak: { label: 'VETtrak', route: 'file', adapter: 'avetmiss', directLink: true },
  jobready: { label: 'JobReady', route: 'file', adapter: 'avetmiss', directLink: true },
  powerpro: { label: 'PowerPro', route: 'file', adapter: 'avetmiss', directLink: true },
  paradigm: { label: 'Paradigm', route: 'file', adapter: 'avetmiss', directLink: true },
  assembly: { label: 'Assembly', route: 'push', adapter: 'csv', directLink: false },
  etap: { label: 'eTAP', route: 'push', adapter: 'csv', directLink: false },
  kamar: { label: 'KAMAR', route: 'push', adapter: 'kamar', directLink: true },
  'musac-edge': { label: 'Musac Edge', route: 'push', adapter: 'csv', directLink: false },
  oneroster: { label: 'OneRoster SIS', route: 'file', adapter: 'oneroster', directLink: true },
  csv: { label: 'CSV files', route: 'file', adapter: 'csv', directLink: true },
};

export const LMS_PROVIDERS = ['moodle', 'totara'] as const;
export const LmsProviderSchema = z.enum(LMS_PROVIDERS);
export type LmsProvider = z.infer<typeof LmsProviderSchema>;

// ─── What the setup wizard is told (the serialisable part of the descriptors, `providers:list`) ──

/** How the wizard offers to connect: a route, and whether it works today. */
export const SmsModeSchema = SmsRouteSchema;
export type SmsMode = SmsRoute;

export const ProviderRouteSchema = z.object({
  mode: SmsModeSchema,
  label: z.string(),
  available: z.boolean(),
  /** Why it is not available yet, in words for the admin. */
  unavailableReason: z.string().optional(),
  /** What the path field expects, for file routes. */
  source: z
    .object({
      label: z.string(),
      hint: z.string(),
      kind: z.enum(['folder', 'file', 'folder-or-file']),
      placeholder: z.string(),
    })
    .optional(),
});
export type ProviderRoute = z.infer<typeof ProviderRouteSchema>;

/** Everything the wizard asks and says about one SMS provider, from its row and its adapter's descriptor. */
export const SmsProviderSetupSchema = z.object({
  id: SmsProviderSchema,
  label: z.string(),
  route: SmsRouteSchema,
  directLink: z.boolean(),
  /** The adapter descriptor's id and display name ("AVETMISS NAT files"). */
  adapter: z.string(),
  adapterName: z.string(),
  /** The export's short name, for messages ("VETtrak's AVETMISS export has no usernames"). */
  exportName: z.string(),
  routes: z.array(ProviderRouteSchema),
  /** The first route that works today, offered first. */
  defaultMode: SmsModeSchema,
  /** False where the export holds no usernames (AVETMISS NAT files: names, ids and email only). */
  hasUsernames: z.boolean(),
  /** The wizard asks the outcome rule (grade percent for "competent") before results are written. */
  asksOutcomeRule: z.boolean(),
  /** Where results go when auto-export is on, and whether that overwrites what the SMS holds. */
  results: z.object({ where: z.string(), overwrites: z.string().nullable() }),
  /**
   * False where the SMS takes no results back (KAMAR: Directory Services only sends), so the wizard does
   * not offer to send them: results.csv is then written for import by hand either way.
   */
  takesResults: z.boolean(),
  /** What the admin does on the SMS side, in order. */
  setupSteps: z.array(z.string()),
});
export type SmsProviderSetup = z.infer<typeof SmsProviderSetupSchema>;

export const LmsProviderSetupSchema = z.object({ id: LmsProviderSchema, label: z.string() });
export type LmsProviderSetup = z.infer<typeof LmsProviderSetupSchema>;

export const ProviderListSchema = z.object({
  sms: z.array(SmsProviderSetupSchema),
  lms: z.array(LmsProviderSetupSchema),
});
export type ProviderList = z.infer<typeof ProviderListSchema>;
