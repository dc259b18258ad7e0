import { z } from 'zod';

/**
 * The parts of a sync. Each runs alone, by hand or on its own schedule.
 * profiles, courses and enrolments together are the *upload* (SMS → LMS); results is the
 * *download* (LMS → SMS).
 */
export const PARTS = ['profiles', 'courses', 'enrolments', 'results', 'course-tracking', 'reconcile'] as const;
export const PartSchema = z.enum(PARTS);
export type Part = z.infer<typeof PartSchema>;

export const UPLOAD_PARTS = ['profiles', 'courses', 'enrolments'] as const satisfies readonly Part[];
export const DOWNLOAD_PARTS = ['results'] as const satisfies readonly Part[];

export const PART_LABELS: Record<Part, string> = {
  profiles: 'Profiles',
  courses: 'Courses',
  enrolments: 'Enrolments',
  results: 'Results',
  'course-tracking': 'Course tracking',
  reconcile: 'Reconcile',
};

/**
 * What a run (or one of its errors) was, in words. An SMS import (a file, a push or an upload read
 * at the one intake door) is recorded as a profiles run with no LMS connection: the people it
 * reads are what the profiles part uploads next.
 */
export function runPartLabel(run: { part: Part; connectionId: string | null }): string {
  return run.part === 'profiles' && run.connectionId === null ? 'SMS import' : PART_LABELS[run.part];
}
