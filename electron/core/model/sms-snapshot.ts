import { z } from 'zod';

/**
 * The canonical snapshot every SMS importer produces, defined once: the adapters build it (the types
 * below are adapters/contract.ts's SmsPerson, SmsEnrolment, …) and the engine validates it with the same
 * schemas (entities.ts beside this file builds on them). It lives in the model, the bottom layer, so
 * adapters (which may import electron/core/model only) and the engine share it without the model
 * reaching up into adapters/. Two definitions drifted before: the model
 * lacked `extra` and `outcome`, so zod stripped a person's USI/NSN and an enrolment's outcome on import.
 * Keys are the SMS's own ids (never names or emails), so a renamed student stays the same person.
 */

export const PersonRoleSchema = z.enum(['student', 'staff']);

export const SmsPersonSchema = z.object({
  smsId: z.string().min(1),
  role: PersonRoleSchema,
  givenName: z.string(),
  familyName: z.string(),
  email: z.string().optional(),
  username: z.string().optional(),
  active: z.boolean().default(true),
  /** Other identifiers and facts the SMS gives (nsn, usi, yearLevel, dateOfBirth, …), by name. */
  extra: z.record(z.string(), z.string()).optional(),
});
export type SmsPerson = z.infer<typeof SmsPersonSchema>;

export const SmsCourseSchema = z.object({
  smsId: z.string().min(1),
  code: z.string().min(1),
  name: z.string(),
  /** ISO dates (YYYY-MM-DD). */
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  /** The SMS's term, semester or session the course runs in, by its name (e.g. "Term 1", "2026 S1"). */
  term: z.string().optional(),
  /** The subject (learning area) as the SMS names it (e.g. "Mathematics"). */
  subject: z.string().optional(),
});
export type SmsCourse = z.infer<typeof SmsCourseSchema>;

export const SmsGroupSchema = z.object({
  smsId: z.string().min(1),
  courseSmsId: z.string().min(1),
  name: z.string(),
});
export type SmsGroup = z.infer<typeof SmsGroupSchema>;

/** An enrolment row as a reader gives it: one per class, so a person, course and role can repeat. */
export const SmsEnrolmentSchema = z.object({
  personSmsId: z.string().min(1),
  courseSmsId: z.string().min(1),
  groupSmsId: z.string().min(1).optional(),
  /** 'student' or 'teacher' (mapped to LMS roles per connection). */
  role: z.string().min(1),
  /** ISO dates (YYYY-MM-DD). */
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  active: z.boolean().default(true),
  /** The SMS's own outcome code where it has one (e.g. AVETMISS 20, 70). */
  outcome: z.string().optional(),
});
export type SmsEnrolment = z.infer<typeof SmsEnrolmentSchema>;

/**
 * A parent, guardian or caregiver (OneRoster users with role guardian/parent/relative, KAMAR caregivers).
 * Kept apart from `people`, so nothing that plans people (accounts, suspensions, the safety rail's
 * populations) ever sees one: only the parents rule (model/parents.ts) reads them, and only when it is on.
 * Just what an LMS account needs: no phone, address or other contact detail is kept.
 */
export const SmsGuardianSchema = z.object({
  smsId: z.string().min(1),
  givenName: z.string(),
  familyName: z.string(),
  email: z.string().optional(),
  /** The SMS's word for who they are (guardian, parent, relative, Mother, Caregiver, …). */
  relationship: z.string().optional(),
});
export type SmsGuardian = z.infer<typeof SmsGuardianSchema>;

/** One guardian ↔ child link (a child is an SMS person, a student). */
export const SmsGuardianLinkSchema = z.object({
  guardianSmsId: z.string().min(1),
  childSmsId: z.string().min(1),
  /** This link's relationship where the SMS gives one per child (KAMAR does), else the guardian's. */
  relationship: z.string().optional(),
});
export type SmsGuardianLink = z.infer<typeof SmsGuardianLinkSchema>;

export interface SmsSnapshot {
  people: SmsPerson[];
  courses: SmsCourse[];
  groups: SmsGroup[];
  enrolments: SmsEnrolment[];
  /** Parents and guardians (absent: the SMS gave none, or the reader does not read them). */
  guardians?: SmsGuardian[];
  guardianLinks?: SmsGuardianLink[];
}

/** A person's name as the admin reads it ("Aroha Ngata"); empty when the SMS gives neither part. */
export function personName(p: { givenName: string; familyName: string }): string {
  return `${p.givenName} ${p.familyName}`.trim();
}

/** A person in messages about their record: "20533 (Aroha Ngata)", or "(no name)". */
export function describePerson(p: { smsId: string; givenName: string; familyName: string }): string {
  return `${p.smsId} (${personName(p) || 'no name'})`;
}
