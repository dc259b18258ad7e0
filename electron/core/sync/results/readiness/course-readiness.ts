import type { LmsGradebook, LmsGradeItem } from '../../../../../adapters/contract';
import type { ReadinessProblem, ReadinessState } from '../../../model/course-readiness';
import { isActivity } from '../compute-course-result';

/** What the SMS side asks of every course's results (results-needs.ts). */
export interface ResultsNeeds {
  /** Outcomes are written but no pass mark is set: the problem, said once per course. */
  passMark?: ReadinessProblem | undefined;
  /** The results go out as OneRoster 1.1, whose result score is a number only (E.3). */
  numericScoreOnly: boolean;
}

const MAX_NAMED = 5;

function names(items: readonly LmsGradeItem[]): string {
  const listed = items.slice(0, MAX_NAMED).map((i) => `"${i.name || `item ${i.id}`}"`);
  const more = items.length - listed.length;
  return more > 0 ? `${listed.join(', ')} and ${more} more` : listed.join(', ');
}

/** A course total that shows as text only: no percentage, and the shown grade is not a number ("B+"). */
function letterOnly(item: LmsGradeItem): boolean {
  if (item.raw === null || item.percentage !== null) return false;
  const text = item.formatted?.trim() ?? '';
  return text !== '' && text !== '-' && !/^-?\d+(?:[.,]\d+)?\s*%?$/.test(text);
}

/**
 * Whether one course's results can come out right, from its gradebook as the results download reads it
 * (gradereport_user_get_grade_items for every student, one request per course; no per-student request):
 * - no activity in the gradebook: progress stays 0 % and nobody completes, so every outcome is "continuing";
 * - graded activities hidden from students (hidden for every student, so the item, not one grade): they
 *   count neither in progress nor in the released course total (compute-course-result.ts);
 * - outcomes written without a pass mark (the SMS connection's outcomePassPercent);
 * - a course total that shows only as a letter (the User report's range and percentage columns off, the
 *   total displayed as a letter) while the SMS takes OneRoster 1.1: 1.1 results carry a numeric score, so
 *   the course grade is skipped.
 * Completion tracking is not checked: the results rule counts an enrolment complete when every visible
 * activity has a grade, not from Moodle's completion tracking, so a course with completion off still
 * comes out right.
 */
export function courseReadiness(
  gradebook: LmsGradebook,
  needs: ResultsNeeds,
): { state: ReadinessState; students: number; problems: ReadinessProblem[] } {
  const students = gradebook.users.length;
  const problems: ReadinessProblem[] = [];
  if (needs.passMark) problems.push(needs.passMark);
  if (students === 0) {
    problems.push({
      kind: 'no-students',
      message: 'No student with an active enrolment is in the gradebook yet, so the gradebook cannot be checked.',
      fix: 'Check again once the students are enrolled and their enrolments have started.',
    });
    return { state: needs.passMark ? 'not-ready' : 'unknown', students, problems };
  }
  // Items by id across every student (an item hidden for one student only is a hidden grade, not a hidden item).
  const seen = new Map<number, { item: LmsGradeItem; hiddenFor: number }>();
  let letterTotal: LmsGradeItem | undefined;
  for (const user of gradebook.users) {
    for (const item of user.items) {
      const entry = seen.get(item.id) ?? { item, hiddenFor: 0 };
      if (item.hidden) entry.hiddenFor += 1;
      seen.set(item.id, entry);
      if (item.type === 'course' && !letterTotal && letterOnly(item)) letterTotal = item;
    }
  }
  const activities = [...seen.values()].filter((e) => isActivity(e.item));
  if (activities.length === 0) {
    problems.push({
      kind: 'no-graded-activities',
      message:
        'The gradebook has no graded activity, so progress stays at 0 % and no student ever completes: every result would be "not finished".',
      fix: 'Add the graded activities (assignments, quizzes) to the course before results are due; a manual grade column is not an activity.',
    });
  }
  const hidden = activities.filter((e) => e.hiddenFor === students).map((e) => e.item);
  if (hidden.length > 0) {
    problems.push({
      kind: 'hidden-graded-items',
      message: `${names(hidden)} ${hidden.length === 1 ? 'is' : 'are'} hidden from students, so ${hidden.length === 1 ? 'it counts' : 'they count'} neither in progress nor in the course total sent to the SMS.`,
      fix: 'In the course gradebook (Grades › Gradebook setup) show the item, or set "Hidden until" to a date before results are due; leave it hidden only if it should not count.',
    });
  }
  if (needs.numericScoreOnly && letterTotal) {
    problems.push({
      kind: 'letter-only-total',
      message: `The course total shows only as a letter ("${letterTotal.formatted?.trim()}", no percentage), and the SMS takes OneRoster 1.1, whose results carry a numeric score only: the course grade would be skipped.`,
      fix: "Turn on the User report's Show percentage (or Show range) column for the course (Grades › User report settings), or display the course total as real or percentage; or export OneRoster 1.2 from the SIS, which carries a text score.",
    });
  }
  return { state: problems.length > 0 ? 'not-ready' : 'ready', students, problems };
}
