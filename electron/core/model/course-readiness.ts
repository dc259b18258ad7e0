import { z } from 'zod';

/**
 * Readiness per course (docs/results.md, "Readiness"): whether a course's results can come out right,
 * checked weeks before term ends from the same gradebook read the results download makes.
 */
export const READINESS_PROBLEM_KINDS = [
  /** No activity (assignment, quiz, …) in the gradebook: progress stays 0 % and nobody ever completes. */
  'no-graded-activities',
  /** Graded activities hidden from students: they count neither in progress nor in the released total. */
  'hidden-graded-items',
  /** Outcomes are written (AVETMISS) but the SMS connection has no pass mark (outcomePassPercent). */
  'no-pass-mark',
  /** The course total shows only as a letter, and the SMS takes OneRoster 1.1 (a numeric score only). */
  'letter-only-total',
  /** No student is in the gradebook yet: nothing to check. */
  'no-students',
  /** The gradebook could not be read (the token's rights, the course gone). */
  'unreadable',
] as const;

export const ReadinessProblemKindSchema = z.enum(READINESS_PROBLEM_KINDS);
export type ReadinessProblemKind = z.infer<typeof ReadinessProblemKindSchema>;

export const ReadinessProblemSchema = z.object({
  kind: ReadinessProblemKindSchema,
  message: z.string(),
  fix: z.string(),
});
export type ReadinessProblem = z.infer<typeof ReadinessProblemSchema>;

/** ready: nothing found; not-ready: results would come out wrong; unknown: could not be checked. */
export const ReadinessStateSchema = z.enum(['ready', 'not-ready', 'unknown']);
export type ReadinessState = z.infer<typeof ReadinessStateSchema>;

export const CourseReadinessSchema = z.object({
  connectionId: z.string(),
  lmsCourseId: z.number().int(),
  course: z.string(),
  state: ReadinessStateSchema,
  /** Students in the gradebook (active enrolments with a gradebook role). */
  students: z.number().int(),
  problems: z.array(ReadinessProblemSchema),
});
export type CourseReadiness = z.infer<typeof CourseReadinessSchema>;

/** Readiness of one LMS connection's Open courses (`courses:readiness`, `classbridge doctor`). */
export const ConnectionReadinessSchema = z.object({
  connectionId: z.string(),
  connection: z.string(),
  courses: z.array(CourseReadinessSchema),
  /** Why no course could be checked (no token, the LMS unreachable), with the fix. */
  error: z.object({ message: z.string(), fix: z.string() }).optional(),
});
export type ConnectionReadiness = z.infer<typeof ConnectionReadinessSchema>;
