import type { LmsConnection, Settings } from '../../model';
import type { Store } from '../../store/store';
import {
  AppliedStateSchema,
  assessRemovals,
  countActive,
  courseCreationAllowed,
  emptyAppliedState,
  planUpload,
  preview,
  type AppliedState,
  type PlanPreview,
  type RemovalAssessment,
} from '../plan';

export interface UploadPreview extends PlanPreview {
  /** Whether the safety rail would hold this plan for the admin's approval, and why. */
  removals: RemovalAssessment;
}

/** The baseline last applied to a connection; empty when nothing was applied yet. */
export function readAppliedState(store: Store, connectionId: string): AppliedState {
  const stored = store.appliedState.read(connectionId);
  if (stored === undefined) return emptyAppliedState();
  const parsed = AppliedStateSchema.safeParse(stored);
  if (!parsed.success) {
    // Written only by ClassBridge; unreadable means a newer version or a damaged row. Refuse rather
    // than diff against nothing (which would plan to create everything again).
    throw new Error(
      `The record of what was uploaded to "${connectionId}" cannot be read (${parsed.error.issues[0]?.message ?? ''}).`,
    );
  }
  return parsed.data;
}

/**
 * A dry run of the next upload to one LMS: what it would create, update, suspend, enrol and
 * unenrol, the first records of each kind, planning errors, and whether the safety rail holds it.
 * Reads only; writes nothing anywhere.
 */
export function previewUpload(store: Store, connection: LmsConnection, settings: Settings, samples = 3): UploadPreview {
  const applied = readAppliedState(store, connection.id);
  const plan = planUpload({
    connectionId: connection.id,
    snapshot: store.snapshot.read(),
    mapping: connection.mapping,
    lmsCourses: store.lmsCourses.list({ connectionId: connection.id, states: ['New', 'Open', 'Closed', 'Deleted'] }),
    applied,
    options: { timeZone: settings.timeZone, allowCourseCreation: courseCreationAllowed(connection.mapping) },
  });
  return { ...preview(plan, samples), removals: assessRemovals(plan, countActive(applied), settings.safety) };
}
