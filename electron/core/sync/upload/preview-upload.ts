import type { LmsConnection, Settings } from '../../model';
import type { Store } from '../../store/store';
import {
  assessRemovals,
  countActive,
  courseCreationAllowed,
  planUpload,
  preview,
  type PlanPreview,
  type RemovalAssessment,
} from '../plan';
import { readAppliedState } from '../plan/applied-state';
import { noExportImported } from './no-export';

export interface UploadPreview extends PlanPreview {
  /** Whether the safety rail would hold this plan for the admin's approval, and why. */
  removals: RemovalAssessment;
}

/**
 * A dry run of the next upload to one LMS: what it would create, update, suspend, enrol and
 * unenrol, the first records of each kind, planning errors, and whether the safety rail holds it.
 * Reads only; writes nothing anywhere.
 */
export function previewUpload(store: Store, connection: LmsConnection, settings: Settings, samples = 3): UploadPreview {
  const applied = readAppliedState(store, connection.id);
  const snapshot = store.snapshot.read();
  const plan = planUpload({
    connectionId: connection.id,
    snapshot,
    mapping: connection.mapping,
    lmsCourses: store.lmsCourses.list({ connectionId: connection.id, states: ['New', 'Open', 'Closed', 'Deleted'] }),
    applied,
    options: { timeZone: settings.timeZone, allowCourseCreation: courseCreationAllowed(connection.mapping) },
  });
  const planned = preview(plan, samples);
  // "Nothing to change" would hide that the SMS export was never imported.
  const missing = noExportImported(store);
  const summary = missing ? `${missing.message} ${missing.fix}` : planned.summary;
  // The same checks as the run (run-upload.ts), per course too, so the dry run warns of the same hold.
  const removals = assessRemovals(plan, countActive(applied), settings.safety, { applied, courses: snapshot.courses });
  return { ...planned, summary, removals };
}
