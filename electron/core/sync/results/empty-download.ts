import { DateTime } from 'luxon';
import type { Store } from '../../store/store';

/**
 * Sentences for a download that found fewer results than the admin expects, each with the cause and
 * what to do, so an empty run never just says "0 results".
 */

const number = new Intl.NumberFormat('en');
const plural = (n: number, one: string, many: string): string => `${number.format(n)} ${n === 1 ? one : many}`;

/** No course of the connection is Open, so no gradebook was read: say which states they are in and how to open them. */
export function explainNoOpenCourse(store: Store, connectionId: string): string {
  const courses = store.lmsCourses.list({ connectionId, states: ['New', 'Closed'] });
  const fresh = courses.filter((c) => c.state === 'New').length;
  const closed = courses.length - fresh;
  const deleted = store.lmsCourses.list({ connectionId, states: ['Deleted'] }).length;
  if (courses.length === 0 && deleted > 0)
    return `No course is Open, so no gradebook was read: the ${plural(deleted, 'course', 'courses')} ClassBridge knew ${deleted === 1 ? 'is' : 'are'} deleted in the LMS. Run the course list (\`classbridge sync course-tracking\`) to find new ones, then mark them Open on the Courses page or with \`classbridge courses open <id|shortname>…\`.`;
  if (courses.length === 0)
    return 'No course is Open, so no gradebook was read, and none is known yet: run the course list (`classbridge sync course-tracking`), then mark the courses to sync Open on the Courses page or with `classbridge courses open <id|shortname>…`.';
  const lead = 'No course is Open, so no gradebook was read.';
  const open = '`classbridge courses open <id|shortname>…`';
  if (fresh > 0)
    return `${lead} ${plural(fresh, 'course is', 'courses are')} New: mark them Open on the Courses page or with ${open} (\`--all-new\` opens every New course).${closed > 0 ? ` ${plural(closed, 'course is', 'courses are')} Closed.` : ''}`;
  return `${lead} ${plural(closed, 'course is', 'courses are')} Closed: open the ones to read results from on the Courses page or with ${open}.`;
}

interface StartingEnrolment {
  course: string;
  role: string;
  timeStart: number;
  suspended: boolean;
}

function isStartingEnrolment(value: unknown): value is StartingEnrolment {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.course === 'string' &&
    typeof v.role === 'string' &&
    Number.isSafeInteger(v.timeStart) &&
    typeof v.suspended === 'boolean'
  );
}

/**
 * Student enrolments ClassBridge sent into the given courses (Open, read, and with nobody in their
 * gradebook) that start after `now`: Moodle reports no grades for an enrolment before its start date
 * (reference §10), so these courses are empty until then. Dates are days in the school's time zone.
 * Reads only the applied enrolments and course links (not the whole applied state), and only when a
 * course came back empty.
 */
export function explainNotStarted(
  store: Store,
  connectionId: string,
  emptyCourses: readonly number[],
  now: Date,
): string | undefined {
  if (emptyCourses.length === 0) return undefined;
  const wanted = new Set(emptyCourses);
  const lmsIdOf = new Map<string, number>();
  for (const [smsId, lmsId] of store.links.all(connectionId, 'course')) lmsIdOf.set(smsId, Number(lmsId));
  const enrolments: StartingEnrolment[] = [];
  for (const [section, key, json] of store.appliedState.entries(connectionId)) {
    if (section !== 'enrolments' && section !== 'links.courses') continue;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      // The upload refuses a damaged applied state with its own message; here it only means no sentence.
      continue;
    }
    if (section === 'links.courses') {
      if (Number.isSafeInteger(value)) lmsIdOf.set(key, value as number);
    } else if (isStartingEnrolment(value)) enrolments.push(value);
  }
  const after = Math.floor(now.getTime() / 1000);
  const starts = enrolments
    .filter((e) => e.role === 'student' && !e.suspended && e.timeStart > after)
    .filter((e) => wanted.has(lmsIdOf.get(e.course) ?? -1))
    .map((e) => e.timeStart);
  if (starts.length === 0) return undefined;
  const zone = store.settings.get().timeZone;
  const day = (seconds: number): string => DateTime.fromSeconds(seconds, { zone }).toFormat('d LLL yyyy');
  const days = [...new Set(starts.map(day))];
  // A loop, not Math.min(...starts): a district's 100,000 enrolments would overflow the call stack.
  const first = starts.reduce((a, b) => (b < a ? b : a));
  const last = starts.reduce((a, b) => (b > a ? b : a));
  const count = plural(starts.length, 'enrolment starts', 'enrolments start');
  return days.length === 1
    ? `${count} on ${day(first)}: Moodle reports no grades before then.`
    : `${count} later, from ${day(first)} to ${day(last)}: Moodle reports no grades for an enrolment before it starts.`;
}
