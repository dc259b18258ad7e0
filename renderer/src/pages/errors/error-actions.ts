import { SYNC_TARGET_OF_PART, type Part, type RunError } from '../../../../electron/core/model';

export type RunNowTarget = 'upload' | 'download' | 'course-tracking' | 'reconcile';

/** What the admin can do about one error, decided the same way the engine decides (errors:retry). */
export type ErrorAction =
  | { kind: 'resolved' }
  | { kind: 'retry' }
  | { kind: 'run-part'; target: RunNowTarget; connectionId: string; reason: string }
  | { kind: 'none'; reason: string };

const RUN_NOW_TARGET: Record<Part, RunNowTarget> = SYNC_TARGET_OF_PART;

export const RUN_NOW_LABELS: Record<RunNowTarget, string> = {
  upload: 'Upload now',
  download: 'Download now',
  'course-tracking': 'Refresh course list',
  reconcile: 'Reconcile now',
};

const isUploadPart = (part: Part): boolean => part === 'upload';

/**
 * Only a record that failed to upload can be sent again alone. A connection error, a course whose results
 * could not be read, or a reconcile error is retried by running its part again; the reason says why.
 */
export function errorAction(error: RunError, lmsConnectionIds: ReadonlySet<string>): ErrorAction {
  if (error.resolvedAt !== null) return { kind: 'resolved' };
  if (error.connectionId === null || !lmsConnectionIds.has(error.connectionId)) {
    return {
      kind: 'none',
      reason: 'Fix it as described; it clears when the next import or run succeeds.',
    };
  }
  if (isUploadPart(error.part) && error.recordKind !== 'connection') return { kind: 'retry' };
  const reason =
    error.recordKind === 'connection'
      ? 'This is about the connection, not one record, so it can’t be retried alone. Fix it as described, then run the part again.'
      : error.recordKind === 'result'
        ? 'A value someone changed in the SMS: decide it on the Results page (Accept the LMS value or Keep the SMS’s); the next download carries it out.'
        : error.part === 'results'
          ? 'Results are read a whole course at a time, so this can’t be retried alone. Download again once it is fixed.'
          : 'This can’t be retried alone. Run the part again once it is fixed.';
  return { kind: 'run-part', target: RUN_NOW_TARGET[error.part], connectionId: error.connectionId, reason };
}
