import { z } from 'zod';
import type { SmsAdapterDescriptor } from '../../descriptor';
import { COMMON_SMS_OPTIONS } from '../options';
import { createKamarAdapter } from './adapter';

export const KamarOptionsSchema = z.strictObject({
  ...COMMON_SMS_OPTIONS,
  /** Form (tutor) classes become LMS groups too (off by default: most schools do not want them). */
  includeFormClasses: z.boolean().optional(),
});
export type KamarOptions = z.infer<typeof KamarOptionsSchema>;

/** KAMAR Directory Services pushes to ClassBridge's receiver; saved pushes (JSON) are read by `check`. */
export const kamarDescriptor: SmsAdapterDescriptor<KamarOptions> = {
  id: 'kamar',
  displayName: 'KAMAR Directory Services push',
  shortName: 'KAMAR',
  routes: ['push'],
  built: true,
  optionsSchema: KamarOptionsSchema,
  describeOptions: (o) => (o.includeFormClasses !== undefined ? [`includeFormClasses: ${o.includeFormClasses}`] : []),
  detect: ({ kind, names }) => kind === 'file' && names.some((n) => n.endsWith('.json')),
  create: ({ options }) => createKamarAdapter({ includeFormClasses: options.includeFormClasses === true }),
  // Directory Services only sends data; nothing public shows KAMAR taking results back.
  noResultsReason: (label) => `${label} does not take results back from ClassBridge`,
  wizard: (provider) => ({
    routes: [{ mode: 'push', label: 'KAMAR sends to ClassBridge (Directory Services)', available: true }],
    hasUsernames: true,
    asksOutcomeRule: false,
    results: {
      where: `results.csv, to import by hand: ${provider.label} does not take results back from ClassBridge.`,
      overwrites: null,
    },
    setupSteps: [
      'In ClassBridge, use Get Secret, and note the receiver address and the certificate fingerprint it shows.',
      'In KAMAR, open the Directory Services set-up, add a service with that address, the username "classbridge" and the secret, and accept the certificate whose fingerprint matches.',
      'Tick the data ClassBridge needs (students, staff, classes/timetables) and run a full update once; KAMAR then sends changes by itself.',
    ],
  }),
};
