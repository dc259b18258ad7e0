import { LmsError, type LmsAdapter } from '../../../../adapters/contract';
import type { LmsConnection, LmsCourse, Settings, Snapshot } from '../../model';
import type { Store } from '../../store/store';
import type { AppliedState } from '../plan/applied-state';
import { endedCourseChanges, type ClosingCourse } from '../plan';

export interface EndedCoursesInput {
  adapter: LmsAdapter;
  store: Store;
  connection: LmsConnection;
  settings: Settings;
  snapshot: Snapshot;
  applied: AppliedState;
  runId: number;
  now: Date;
}

export interface EndedCoursesOutcome {
  closed: number;
  hidden: number;
  shown: number;
  /** For the run's message: "2 courses closed: their SMS end date passed (1 hidden in the LMS)." */
  notes: string[];
}

/**
 * The ended-course rule, carried out at the start of an upload (which holds the LMS's write lease): each
 * course the rule names is Closed in ClassBridge with its reason, then hidden in the LMS (visible 0) where
 * the setting says so and ClassBridge created it; a course ClassBridge hid that an admin has opened again
 * is shown again. The close is ClassBridge's record and always happens; a hide the LMS refuses (no
 * moodle/course:visibility, or core_course_update_courses not allowed) is a run error with the fix, and
 * the upload goes on — the course is already left alone by the sync.
 */
export async function applyEndedCourses(input: EndedCoursesInput): Promise<EndedCoursesOutcome> {
  const { store, connection } = input;
  const lmsCourses = store.lmsCourses.list({
    connectionId: connection.id,
    states: ['New', 'Open', 'Closed', 'Deleted'],
  });
  const changes = endedCourseChanges({
    lifecycle: connection.mapping.lifecycle,
    courseMatch: connection.mapping.courseMatch,
    lmsCourses,
    courses: input.snapshot.courses,
    applied: input.applied,
    timeZone: input.settings.timeZone,
    now: input.now,
  });
  const closed = changes.close.filter((c) => store.lmsCourses.closeByRule(connection.id, c.lmsId, c.reason));
  const toHide = closed.filter((c) => c.hide);
  const byId = new Map(lmsCourses.map((c) => [c.lmsId, c]));
  const hidden = await setVisible(
    input,
    toHide.map((c) => ({ lmsId: c.lmsId, course: c })),
    false,
    byId,
  );
  const shown = await setVisible(
    input,
    changes.show.map((c) => ({ lmsId: c.lmsId })),
    true,
    byId,
  );
  const notes: string[] = [];
  if (closed.length > 0)
    notes.push(
      `${closed.length === 1 ? '1 course' : `${closed.length} courses`} closed because the SMS end date passed (${closed
        .map((c) => `${c.code}, ended ${c.endDate}`)
        .join('; ')})${hidden > 0 ? `; ${hidden} hidden in the LMS` : ''}.`,
    );
  if (shown > 0)
    notes.push(`${shown === 1 ? '1 course' : `${shown} courses`} you opened again shown in the LMS again.`);
  return { closed: closed.length, hidden, shown, notes };
}

async function setVisible(
  input: EndedCoursesInput,
  items: readonly { lmsId: number; course?: ClosingCourse }[],
  visible: boolean,
  byId: ReadonlyMap<number, LmsCourse>,
): Promise<number> {
  if (items.length === 0) return 0;
  const { store, connection, runId } = input;
  const failed = (item: (typeof items)[number], error: LmsError) => {
    const tracked = byId.get(item.lmsId);
    const name = tracked ? `${tracked.fullname} (${tracked.shortname})` : `course ${item.lmsId}`;
    store.runs.addError(runId, {
      recordKind: 'course',
      recordKey: item.course?.smsCourse ?? String(item.lmsId),
      ...(item.course ? { course: item.course.code } : {}),
      message: visible
        ? `${name} is Open again, but ClassBridge could not show it in the LMS again: ${error.message}`
        : `${name} is Closed in ClassBridge, but it could not be hidden in the LMS: ${error.message}`,
      fix:
        error.details.fix ??
        'Give the web-service user moodle/course:visibility (and core_course_update_courses on the service), or change the course visibility in the LMS by hand.',
    });
  };
  let result;
  try {
    result = await input.adapter.updateCourses(items.map((i) => ({ id: i.lmsId, visible })));
  } catch (err) {
    if (!(err instanceof LmsError)) throw err;
    for (const item of items) failed(item, err);
    return 0;
  }
  let done = 0;
  result.outcomes.forEach((outcome, i) => {
    const item = items[i]!;
    if (outcome.ok) {
      store.lmsCourses.markHiddenInLms(connection.id, item.lmsId, !visible);
      done += 1;
    } else failed(item, outcome.error);
  });
  return done;
}
