import { z } from 'zod';

/**
 * The parts of a sync. Each runs alone, by hand or on its own schedule, and is recorded as runs.
 * `upload` is SMS → LMS (people, courses and groups, enrolments: one run, one schedule); `results`
 * is the *download* (LMS → SMS).
 */
export const PARTS = ['upload', 'results', 'course-tracking', 'reconcile'] as const;
export const PartSchema = z.enum(PARTS);
export type Part = z.infer<typeof PartSchema>;

/**
 * The kinds of records an upload sends, in the order it sends them. They are not parts: one upload
 * run sends all three (an enrolment needs its user and course). By hand an upload can be kept to one
 * kind (`classbridge sync profiles`), still recorded as an upload run; 'enrolments' is the whole upload.
 */
export const UPLOAD_KINDS = ['profiles', 'courses', 'enrolments'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/**
 * The parts before migration 016 split the upload into profiles, courses and enrolments, and the
 * engine ran only the enrolments one (the whole upload). Stored data is carried over by that
 * migration; an old configuration file is mapped when it is read (schedule.ts, PartSchedulesSchema).
 */
export const PARTS_BEFORE_016 = ['profiles', 'courses', 'enrolments'] as const;

/** What each "run now" target (`sync:runNow`, `classbridge sync <target>`) runs: the one map of them. */
export const SYNC_TARGETS = ['upload', 'download', 'course-tracking', 'reconcile'] as const;
export const SyncTargetSchema = z.enum(SYNC_TARGETS);
export type SyncTarget = z.infer<typeof SyncTargetSchema>;
export const PART_OF_SYNC_TARGET = {
  upload: 'upload',
  download: 'results',
  'course-tracking': 'course-tracking',
  reconcile: 'reconcile',
} as const satisfies Record<SyncTarget, Part>;

/** The "run now" target that runs a part again (the Errors page's "run the part again"). */
export const SYNC_TARGET_OF_PART = Object.fromEntries(
  SYNC_TARGETS.map((target) => [PART_OF_SYNC_TARGET[target], target]),
) as Record<Part, SyncTarget>;

export const PART_LABELS: Record<Part, string> = {
  upload: 'Upload',
  results: 'Results',
  'course-tracking': 'Course tracking',
  reconcile: 'Reconcile',
};

/**
 * What a run (or one of its errors) was, in words. An SMS import (a file, a push or an upload read
 * at the one intake door) is recorded as an upload run with no LMS connection: what it reads is what
 * the next upload sends.
 */
export function runPartLabel(run: { part: Part; connectionId: string | null }): string {
  return run.part === 'upload' && run.connectionId === null ? 'SMS import' : PART_LABELS[run.part];
}

/** A part with the LMS it runs against, as the tray, notifications and alerts name it: "Upload to Moodle". */
export function partWithLms(part: Part, lmsName: string): string {
  switch (part) {
    case 'upload':
      return `Upload to ${lmsName}`;
    case 'results':
      return `Download from ${lmsName}`;
    case 'course-tracking':
      return `Course list of ${lmsName}`;
    case 'reconcile':
      return `Reconcile of ${lmsName}`;
  }
}
