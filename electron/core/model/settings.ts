import { z } from 'zod';
import { AlertSettingsSchema } from './alerts';
import { DEFAULT_SCHEDULE, PartSchedulesSchema, TimeZoneSchema } from './schedule';

/** Every school-wide setting an admin can make. Connections are kept apart (see connection.ts). */
export const SettingsSchema = z.object({
  useSms: z.boolean().default(true),
  timeZone: TimeZoneSchema.default('UTC'),
  /** Default schedule per part; a connection may override a part. (Old files' upload parts are mapped.) */
  schedules: PartSchedulesSchema.default({}),
  paused: z.boolean().default(false),
  /** A part with no success for longer than this turns *problem*. */
  problemAfterMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(30),
  /** Safety rail: plans removing more than this many active records, or this share, are held. */
  safety: z
    .object({
      maxRemovalPercent: z.number().min(0).max(100).default(10),
      maxRemovalCount: z.number().int().min(0).default(50),
      /**
       * Per course: a plan taking more than this share of one course's active students out of it is held
       * (a class vanishing passes the school-wide limits); 100 turns the per-course check off.
       */
      maxCourseRemovalPercent: z.number().min(0).max(100).default(50),
      /** …when that is at least this many students. */
      minCourseRemovals: z.number().int().min(1).default(5),
    })
    .default({ maxRemovalPercent: 10, maxRemovalCount: 50, maxCourseRemovalPercent: 50, minCourseRemovals: 5 }),
  results: z
    .object({
      /** Send results back to the SMS without asking. Off until the admin turns it on in the wizard. */
      autoExport: z.boolean().default(false),
    })
    .default({ autoExport: false }),
  /** The daily database backups (store/backup.ts), `backups/classbridge-<date>.db` in the data folder. */
  backups: z
    .object({
      /** Dated backups older than this many days are removed after the day's backup is written. */
      keepDays: z.number().int().min(1).max(366).default(14),
    })
    .default({ keepDays: 14 }),
  /** Email and webhook alerts, the late source and the digest (model/alerts.ts, docs/alerts.md). */
  alerts: AlertSettingsSchema.default(AlertSettingsSchema.parse({})),
  startAtLogin: z.boolean().default(true),
  updateFeedUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

export { DEFAULT_SCHEDULE };
