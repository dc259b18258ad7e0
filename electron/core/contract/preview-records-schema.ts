import { z } from 'zod';

/**
 * The dry run's table of records (sync:preview `records`; built by sync/plan/preview-records.ts): per
 * kind, the first records with what the upload does to each, like Moodle's own upload preview.
 */
export const RecordStatusSchema = z.enum(['create', 'link', 'update', 'reactivate', 'suspend', 'remove', 'skip']);

export const PreviewRecordRowSchema = z.object({
  /** The SMS key (an enrolment's: person and course). */
  key: z.string(),
  /** "Aroha Ngata (S1001)", "10ENG English", "Aroha Ngata (S1001) in 10ENG". */
  name: z.string(),
  status: RecordStatusSchema,
  /** What happens, or why not: "username aroha.ngata", "email: a@x → b@x", "course not in the LMS …". */
  detail: z.string(),
  /** An update's fields, before and after. */
  changes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })).optional(),
  /** A person's create: the account it makes (looked up in the LMS to tell a link from a create). */
  account: z.object({ username: z.string(), idnumber: z.string(), email: z.string() }).optional(),
});

export const PreviewRecordsSchema = z.object({
  people: z.array(PreviewRecordRowSchema),
  courses: z.array(PreviewRecordRowSchema),
  enrolments: z.array(PreviewRecordRowSchema),
  classes: z.array(PreviewRecordRowSchema),
});
