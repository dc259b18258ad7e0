import type { LmsConnection, Settings } from '../../model';
import type { Store } from '../../store/store';
import {
  accountExamples,
  type AccountExamples,
  assessUploadRemovals,
  categoryExamples,
  templateExamples,
  type CategoryExample,
  type TemplateExample,
  courseCreationAllowed,
  planUpload,
  nameExamples,
  preview,
  type NameExample,
  type PlanPreview,
  type RemovalAssessment,
} from '../plan';
import { readAppliedState } from '../plan/applied-state';
import { activeRolloverPause, endedCourseChanges, type ActivePause, type ClosingCourse } from '../plan';
import { noExportImported } from './no-export';
import { parentsPreview, planWithParents } from './parents';
import { CohortStateRepository } from '../../store/repositories/cohort-state-repository';
import { cohortExamples } from '../plan/cohorts';
import { previewRecords, type PreviewRecords } from '../plan/preview-records';
import { withLinkDecisions } from './existing-accounts';

export interface UploadPreview extends PlanPreview {
  /** Whether the safety rail would hold this plan for the admin's approval, and why. */
  removals: RemovalAssessment;
  /** The term lifecycle (absent when the connection has none): the pause in force, the courses the run closes. */
  lifecycle?: { pause: ActivePause | null; closing: ClosingCourse[] };
  /** The name templates' results on the first records (absent when the mapping has none). */
  names?: NameExample[];
  /** The first courses the run creates: their category and which rule chose it (absent without category rules). */
  categories?: CategoryExample[];
  /** The first courses the run makes from a template: which one and which rule chose it (absent without template rules). */
  courseTemplates?: TemplateExample[];
  /** The sign-in method and profile fields on the first people (absent with the default mapping). */
  accounts?: AccountExamples;
  /** With cohort rules: the first people and the names of the cohorts they will be in (plan/cohorts.ts). */
  cohorts?: { key: string; name: string; cohorts: string[] }[];
  /** With the parents rule on: the first guardians, their children and account (plan/parents.ts parentExamples). */
  parents?: { key: string; name: string; username?: string; children: string[]; error?: string }[];
  /** The first records of each kind with what happens to each (plan/preview-records.ts). */
  records: PreviewRecords;
}

/**
 * A dry run of the next upload to one LMS: what it would create, update, suspend, enrol and
 * unenrol, the first records of each kind, planning errors, and whether the safety rail holds it.
 * Reads only; writes nothing anywhere.
 */
export function previewUpload(
  store: Store,
  connection: LmsConnection,
  settings: Settings,
  samples = 3,
  now: Date = new Date(),
): UploadPreview {
  const applied = readAppliedState(store, connection.id);
  const snapshot = store.snapshot.read();
  const leaveAlone = store.leaveAlone.sets(connection.id);
  const { lifecycle } = connection.mapping;
  // The run closes ended courses before it plans (apply/ended-courses.ts): the dry run plans as if it had.
  const tracked = store.lmsCourses.list({ connectionId: connection.id, states: ['New', 'Open', 'Closed', 'Deleted'] });
  const closing = endedCourseChanges({
    lifecycle,
    courseMatch: connection.mapping.courseMatch,
    lmsCourses: tracked,
    courses: snapshot.courses,
    applied,
    timeZone: settings.timeZone,
    now,
  }).close;
  const closingIds = new Set(closing.map((c) => c.lmsId));
  const cohortState = connection.mapping.cohorts ? new CohortStateRepository(store.db).read(connection.id) : undefined;
  const pause = activeRolloverPause(lifecycle?.rolloverPause, snapshot.courses, settings.timeZone, now);
  const base = planUpload({
    connectionId: connection.id,
    snapshot,
    mapping: connection.mapping,
    lmsCourses: tracked.map((c) => (closingIds.has(c.lmsId) ? { ...c, state: 'Closed' as const } : c)),
    applied,
    options: { timeZone: settings.timeZone, allowCourseCreation: courseCreationAllowed(connection.mapping) },
    leaveAlone,
    ...(cohortState ? { cohorts: cohortState } : {}),
  });
  // Parents (upload/parents.ts): as the run plans them, with their counts, a sentence and the first guardians.
  const plan = planWithParents(
    store,
    { connectionId: connection.id, mapping: connection.mapping, snapshot, applied, leaveAlone },
    base,
  );
  const parentsView = parentsPreview(store, connection.id, plan, snapshot, samples);
  const planned = withParentsPreview(preview(plan, samples), parentsView);
  // "Nothing to change" would hide that the SMS export was never imported.
  const missing = noExportImported(store);
  const summary = missing ? `${missing.message} ${missing.fix}` : planned.summary;
  // The same checks as the run (run-upload.ts), per course too, so the dry run warns of the same hold.
  const removals = assessUploadRemovals({
    plan,
    applied,
    leaveAlone,
    limits: settings.safety,
    courses: snapshot.courses,
    pause,
  });
  const names = nameExamples({ snapshot, mapping: connection.mapping, applied }, samples);
  const accounts = accountExamples(snapshot, connection.mapping, samples);
  const categories = categoryExamples(plan, { snapshot, mapping: connection.mapping }, samples);
  const courseTemplates = templateExamples(plan, { snapshot, mapping: connection.mapping }, samples);
  const lifecycleView = lifecycle ? { lifecycle: { pause, closing } } : {};
  // The table of records (like Moodle's upload preview), with the admin's decisions on existing accounts.
  const records = withLinkDecisions(previewRecords({ plan, snapshot, applied, leaveAlone }), store, connection.id);
  // Unknown fields in the cohort rules are planning errors (plan/cohorts.ts), listed with the others.
  const cohortView = cohortState
    ? { cohorts: cohortExamples({ snapshot, mapping: connection.mapping, cohorts: cohortState }, samples) ?? [] }
    : {};
  return {
    ...planned,
    summary,
    removals,
    ...(names ? { names } : {}),
    ...(categories ? { categories } : {}),
    ...(courseTemplates ? { courseTemplates } : {}),
    ...(accounts ? { accounts } : {}),
    ...lifecycleView,
    ...cohortView,
    ...(parentsView ? { parents: parentsView.parents } : {}),
    records,
  };
}

function withParentsPreview(planned: PlanPreview, view: ReturnType<typeof parentsPreview>): PlanPreview {
  if (!view) return planned;
  return { ...planned, summary: `${planned.summary} ${view.sentence}`, counts: { ...planned.counts, ...view.counts } };
}
