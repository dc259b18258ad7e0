import { LmsError, type AdapterLogger, type LmsAdapter } from '../../../../adapters/contract';
import type { LmsConnection, LmsCourse, Settings } from '../../model';
import type { Store } from '../../store/store';
import { applyPlan, type ApplyProgress, type ApplyReport } from '../apply';
import {
  courseCreationAllowed,
  OP_KINDS,
  planUpload,
  selectOperations,
  type OpKind,
  type SelectableOp,
  type AppliedState,
  type UploadPlan,
} from '../plan';
import { readAppliedState } from '../plan/applied-state';
import { observeLms, type Drift } from './observe-lms';

export interface RunReconcileInput {
  adapter: LmsAdapter;
  store: Store;
  connection: LmsConnection;
  settings: Settings;
  trigger: 'manual' | 'schedule';
  logger?: AdapterLogger;
  signal?: AbortSignal;
  onProgress?: (progress: ApplyProgress) => void;
}

export interface ReconcileResult {
  runId: number;
  outcome: 'ok' | 'partial' | 'failed';
  message: string;
  drifts: Drift[];
  report?: ApplyReport;
  error?: LmsError;
}

/** Removals (and re-keys) are the upload's to make, behind its safety rail; a reconcile only puts things back. */
const REMOVAL_KINDS = new Set<OpKind>([
  'suspendUsers',
  'suspendEnrolments',
  'unenrol',
  'removeGroupMembers',
  'removeCohortMembers',
  'rekeyPeople',
  'rekeyCourses',
]);

const REPAIR_WORDS: Record<OpKind, string> = {
  rekeyPeople: 'moved the user to the new SMS id',
  rekeyCourses: 'moved the course to the new SMS code',
  createUsers: 'created the user again',
  updateUsers: 'set the fields back to the SMS values',
  reactivateUsers: 'reactivated the user',
  suspendUsers: 'suspended the user',
  createCourses: 'created the course again',
  updateCourses: 'set the course back to the SMS values',
  createGroups: 'created the group again',
  enrol: 'enrolled again',
  suspendEnrolments: 'suspended the enrolment',
  unenrol: 'unenrolled',
  addGroupMembers: 'added to the group again',
  removeGroupMembers: 'removed from the group',
  // Reconcile plans no cohorts (it passes no cohort state); these words are for completeness.
  createCohorts: 'created the cohort again',
  addCohortMembers: 'added to the cohort again',
  removeCohortMembers: 'removed from the cohort',
};

/**
 * Reconcile: reads back what the LMS holds for every record ClassBridge applied, corrects the
 * applied state to it (so the LMS, not memory, is the baseline), plans the snapshot against it and
 * applies the result — which is exactly the repairs. Each drift is recorded with what was done.
 * Nothing drifted costs no write.
 */
export async function runReconcile(input: RunReconcileInput): Promise<ReconcileResult> {
  const { store, connection } = input;
  const runId = store.runs.start(connection.id, 'reconcile', input.trigger);
  try {
    const applied = readAppliedState(store, connection.id);
    const tracked = store.lmsCourses.list({
      connectionId: connection.id,
      states: ['New', 'Open', 'Closed', 'Deleted'],
    });
    const leaveAlone = store.leaveAlone.sets(connection.id);
    const { observed, drifts, checked, deletedCourses, vanishedCourses, leftAlone } = await observeLms(
      input.adapter,
      applied,
      {
        deletedCourseIds: new Set(tracked.filter((c) => c.state === 'Deleted').map((c) => c.lmsId)),
        chosenUsernames: store.linkDecisions.createdUsernames(connection.id),
        leaveAlone,
      },
    );
    // The LMS's truth is the baseline from now on, even if the apply below stops half-way.
    if (drifts.length > 0) store.appliedState.write(connection.id, observed);
    const plan = onlyRepairs(
      drifts,
      applied,
      planUpload({
        connectionId: connection.id,
        snapshot: store.snapshot.read(),
        mapping: connection.mapping,
        lmsCourses: asDeleted(tracked, vanishedCourses, connection.id),
        applied: observed,
        options: {
          timeZone: input.settings.timeZone,
          allowCourseCreation: courseCreationAllowed(input.connection.mapping),
        },
        leaveAlone,
      }),
    );
    const report = await applyPlan({
      adapter: input.adapter,
      store,
      connectionId: connection.id,
      plan,
      runId,
      applied: observed,
      ...(input.logger ? { logger: input.logger } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    });
    recordRepairs(store, runId, drifts, plan);
    const outcome = report.failed > 0 ? 'partial' : 'ok';
    const repaired = report.created + report.linked + report.updated;
    const message =
      `Reconcile: checked ${checked.people} users, ${checked.courses} courses and ${checked.enrolments} enrolments in the LMS; ` +
      (drifts.length === 0
        ? 'nothing had drifted.'
        : `${drifts.length} had been changed or removed there, ${repaired} writes put them back${report.failed > 0 ? `, ${report.failed} failed (see the errors)` : ''}.`) +
      (deletedCourses.length > 0
        ? ` Not checked, as Deleted in the LMS: ${deletedCourses.map((k) => observed.courses[k]?.shortname ?? k).join(', ')}.`
        : '') +
      leftAloneWords(leftAlone);
    store.runs.finish(
      runId,
      outcome,
      {
        checked: checked.people + checked.courses + checked.enrolments,
        drifted: drifts.length,
        created: report.created,
        linked: report.linked,
        updated: report.updated,
        unchanged: checked.people + checked.courses + checked.enrolments - drifts.length,
        failed: report.failed,
      },
      message,
    );
    return { runId, outcome, message, drifts, report };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The caller (run-part) records the diagnosis of a connection error on the run.
    store.runs.finish(runId, 'failed', {}, `The reconcile stopped: ${message}`);
    if (err instanceof LmsError) return { runId, outcome: 'failed', message, drifts: [], error: err };
    throw err;
  }
}

/**
 * The tracked courses, with those the LMS no longer has marked Deleted for this plan (course tracking
 * marks them for good on its next run): nothing is created, enrolled or grouped into a deleted course.
 */
function asDeleted(tracked: readonly LmsCourse[], vanished: readonly number[], connectionId: string): LmsCourse[] {
  if (vanished.length === 0) return [...tracked];
  const gone = new Set(vanished);
  const courses = tracked.map((c) => (gone.has(c.lmsId) ? { ...c, state: 'Deleted' as const } : c));
  const known = new Set(tracked.map((c) => c.lmsId));
  // A course ClassBridge created and course tracking has not seen yet.
  for (const lmsId of vanished) {
    if (known.has(lmsId)) continue;
    courses.push({
      connectionId,
      lmsId,
      shortname: '',
      fullname: '',
      idnumber: '',
      state: 'Deleted',
      firstSeen: '',
      lastSeen: '',
    });
  }
  return courses;
}

/** " Not checked, as left alone: 1 user and 2 courses." — never silently. */
function leftAloneWords(n: { people: number; courses: number }): string {
  const part = (k: number, one: string, many: string) => (k > 0 ? `${k} ${k === 1 ? one : many}` : '');
  const what = [part(n.people, 'user', 'users'), part(n.courses, 'course', 'courses')].filter(Boolean).join(' and ');
  return what ? ` Not checked, as left alone: ${what}.` : '';
}

/** Whether the record an operation writes was applied by ClassBridge before this reconcile (what it may repair). */
function wasApplied(kind: OpKind, key: string, applied: AppliedState): boolean {
  switch (kind) {
    case 'createUsers':
    case 'updateUsers':
    case 'reactivateUsers':
      return key in applied.people;
    case 'createCourses':
    case 'updateCourses':
      return key in applied.courses;
    case 'enrol':
      return key in applied.enrolments;
    case 'createGroups':
      return key in applied.groups;
    case 'addGroupMembers':
      return key in applied.memberships;
    default:
      return false;
  }
}

/**
 * The plan cut down to the repairs: operations on drifted records and on what hangs off them (the
 * enrolments of a user that had to be created again) — and only on records ClassBridge applied before:
 * a drifted user's new SMS enrolment is a pending change, not a repair, and sending it could rewrite an
 * enrolment a teacher made by hand. Pending SMS changes and removals are the upload's to make
 * (removals behind its safety rail), so a reconcile never makes them.
 */
function onlyRepairs(drifts: readonly Drift[], applied: AppliedState, plan: UploadPlan): UploadPlan {
  const keys = new Set(drifts.filter((d) => d.leftAs === undefined).map((d) => d.recordKey));
  const people = new Set(drifts.filter((d) => d.recordKind === 'person').map((d) => d.recordKey));
  const courses = new Set(drifts.filter((d) => d.recordKind === 'course').map((d) => d.recordKey));
  const related = (op: SelectableOp) => {
    if (keys.has(op.key)) return true;
    const a = op.applied as { person?: string; course?: string } | undefined;
    return (a?.person !== undefined && people.has(a.person)) || (a?.course !== undefined && courses.has(a.course));
  };
  return selectOperations(
    plan,
    (kind, op) => !REMOVAL_KINDS.has(kind) && wasApplied(kind, op.key, applied) && related(op),
    (e) => keys.has(e.recordKey),
    false,
  );
}

/** One repair row per drift: what the LMS had, and what this run did about it. */
function recordRepairs(store: Store, runId: number, drifts: Drift[], plan: UploadPlan): void {
  const opsByKey = new Map<string, OpKind[]>();
  for (const kind of OP_KINDS) {
    for (const op of plan[kind] as { key: string }[]) opsByKey.set(op.key, [...(opsByKey.get(op.key) ?? []), kind]);
  }
  const failedKeys = new Set(store.runs.errorKeys(runId));
  store.db.transaction(() => {
    for (const d of drifts) {
      const kinds = opsByKey.get(d.recordKey) ?? [];
      const repair = failedKeys.has(d.recordKey)
        ? 'Could not be repaired: see the error for this record.'
        : d.leftAs === 'enrolled-by-hand'
          ? 'Left as it is: ClassBridge does not undo an enrolment made by hand in a course it did not create.'
          : kinds.length > 0
            ? `ClassBridge ${kinds.map((k) => REPAIR_WORDS[k]).join(' and ')}.`
            : d.recordKind === 'course' && d.gone
              ? 'Left as it is: a course deleted in the LMS is not made again; course tracking marks it Deleted, and the enrolments made in it stay on record.'
              : 'Left as it is: the SMS no longer asks for it (or its course is not Open).';
      store.runs.addRepair(runId, {
        recordKind: d.recordKind,
        recordKey: d.recordKey,
        course: d.course ?? null,
        drift: d.drift,
        repair,
      });
    }
  })();
}
