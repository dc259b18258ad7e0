import { z } from 'zod';
import { PARTS_BEFORE_016, PartSchema } from './parts';

/** True when the runtime knows this IANA time zone (e.g. Pacific/Auckland). */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const TimeZoneSchema = z
  .string()
  .min(1)
  .refine(isKnownTimeZone, { message: 'Not a known time zone name (for example Pacific/Auckland)' });

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use a time like 22:00');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const IntervalScheduleSchema = z.object({
  kind: z.literal('interval'),
  minutes: z
    .number()
    .int()
    .min(5, 'At least 5 minutes')
    .max(7 * 24 * 60, 'At most one week'),
});

export const WindowScheduleSchema = z
  .object({
    kind: z.literal('window'),
    days: z.array(z.enum(WEEKDAYS)).min(1, 'Choose at least one day'),
    start: HHMM,
    end: HHMM,
  })
  .refine((w) => w.start < w.end, { message: 'The window must end after it starts', path: ['end'] });

export const ScheduleSchema = z.discriminatedUnion('kind', [IntervalScheduleSchema, WindowScheduleSchema]);
export type Schedule = z.infer<typeof ScheduleSchema>;

export const DEFAULT_SCHEDULE: Schedule = { kind: 'interval', minutes: 30 };

/**
 * An old schedules object (before migration 016: profiles, courses and enrolments, each with a
 * schedule) in the new shape. The engine ran only the enrolments schedule, for the whole upload, so
 * that one becomes the upload's; profiles and courses schedules were never run and are dropped, even
 * where they differed. A schedule given for `upload` itself wins.
 */
export function schedulesWithUploadPart(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const old = value as Record<string, unknown>;
  if (!PARTS_BEFORE_016.some((part) => part in old)) return value;
  const next: Record<string, unknown> = {};
  if (old.enrolments !== undefined) next.upload = old.enrolments;
  for (const [part, schedule] of Object.entries(old))
    if (!(PARTS_BEFORE_016 as readonly string[]).includes(part)) next[part] = schedule;
  return next;
}

/**
 * A schedule per part, for some parts (settings and a connection's overrides). An old file naming the
 * three upload parts is read as the upload (schedulesWithUploadPart), not refused.
 */
export const PartSchedulesSchema = z.preprocess(schedulesWithUploadPart, z.partialRecord(PartSchema, ScheduleSchema));
