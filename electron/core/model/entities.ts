import { z } from 'zod';

import {
  PersonRoleSchema,
  SmsCourseSchema,
  SmsEnrolmentSchema,
  SmsGroupSchema,
  SmsGuardianLinkSchema,
  SmsGuardianSchema,
  SmsPersonSchema,
} from './sms-snapshot';

/**
 * The snapshot as the engine keeps it: the adapters' schemas (sms-snapshot.ts beside this file, defined once so
 * no field an adapter reads is stripped here), with enrolment rows merged per person, course and role.
 */
export { PersonRoleSchema };

export const PersonSchema = SmsPersonSchema;
export type Person = z.infer<typeof PersonSchema>;

export const CourseSchema = SmsCourseSchema;
export type Course = z.infer<typeof CourseSchema>;

export const GroupSchema = SmsGroupSchema;
export type Group = z.infer<typeof GroupSchema>;

/**
 * One enrolment per person, course and role. A person in two classes of one course (a teacher who
 * takes 10ENG-1 and 10ENG-2, a KAMAR student in two option lines) is one enrolment with two group
 * memberships, never two enrolments.
 */
export const EnrolmentSchema = SmsEnrolmentSchema.omit({ groupSmsId: true }).extend({
  /** The classes (LMS groups) of this course the person is in; absent or empty when there are none. */
  groupSmsIds: z.array(z.string().min(1)).optional(),
});
export type Enrolment = z.infer<typeof EnrolmentSchema>;

export const SnapshotSchema = z.object({
  people: z.array(PersonSchema),
  courses: z.array(CourseSchema),
  groups: z.array(GroupSchema),
  enrolments: z.array(EnrolmentSchema),
  /** Parents and guardians, apart from `people` (sms-snapshot.ts); absent when the SMS gave none. */
  guardians: z.array(SmsGuardianSchema).optional(),
  guardianLinks: z.array(SmsGuardianLinkSchema).optional(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/**
 * An enrolment row as an SMS reader gives it: one per class, so the same person, course and role
 * can appear once per class. The intake merges the rows into one Enrolment (sms/merge-enrolments.ts).
 */
export const EnrolmentRowSchema = SmsEnrolmentSchema;
export type EnrolmentRow = z.infer<typeof EnrolmentRowSchema>;

/** Which kind of SMS record an SMS-id ↔ LMS-id link is for. */
export const LinkEntitySchema = z.enum(['person', 'course', 'group', 'enrolment']);
export type LinkEntity = z.infer<typeof LinkEntitySchema>;

/**
 * An LMS course's state in ClassBridge. New: seen, not yet decided by an admin. Open: synced.
 * Closed: ignored. Deleted: gone from the LMS, kept so old enrolments and results still name it.
 */
export const COURSE_STATES = ['New', 'Open', 'Closed', 'Deleted'] as const;
export const CourseStateSchema = z.enum(COURSE_STATES);
export type CourseState = z.infer<typeof CourseStateSchema>;

export const LmsCourseSchema = z.object({
  connectionId: z.string(),
  lmsId: z.number().int(),
  shortname: z.string(),
  fullname: z.string(),
  idnumber: z.string(),
  state: CourseStateSchema,
  firstSeen: z.string(),
  lastSeen: z.string(),
  /** Who made the last Open/Closed change: an admin, or ClassBridge's own rule (model/lifecycle.ts). */
  stateChangedBy: z.enum(['admin', 'classbridge']).optional(),
  stateChangedAt: z.string().optional(),
  /** Why ClassBridge changed the state, for the admin: "Its SMS end date 2026-11-30 has passed." */
  stateReason: z.string().optional(),
  /** When ClassBridge hid the course in the LMS (visible 0); absent when it did not, or showed it again. */
  hiddenInLmsAt: z.string().optional(),
});
export type LmsCourse = z.infer<typeof LmsCourseSchema>;

export const ActivityResultSchema = z.object({
  itemId: z.number().int(),
  name: z.string(),
  grade: z.string().nullable(),
  percentage: z.number().nullable(),
});

export const ResultSchema = z.object({
  connectionId: z.string(),
  lmsCourseId: z.number().int(),
  personSmsId: z.string(),
  progressPercent: z.number().min(0).max(100),
  grade: z.string().nullable(),
  /** The course grade as a percentage, when the LMS gives one. */
  gradePercent: z.number().min(0).max(100).nullable(),
  /** The same percentage unrounded (what outcomes are decided from); absent on results stored before it was kept. */
  gradeExact: z.number().nullable().optional(),
  activities: z.array(ActivityResultSchema),
  updatedAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type Result = z.infer<typeof ResultSchema>;
