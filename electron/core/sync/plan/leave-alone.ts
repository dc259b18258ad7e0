import type { Snapshot } from '../../model';
import type { AppliedState } from './applied-state';
import { countOperations, OP_KINDS, type OpKind, type PlanningError, type UploadPlan } from './operations';

/** The SMS ids the admin marked "ClassBridge does not touch this" on one connection (store.leaveAlone.sets). */
export interface LeaveAloneMarks {
  people: ReadonlySet<string>;
  courses: ReadonlySet<string>;
}

/** What a plan holds back because of leave-alone marks: the dry run says it, never silently. */
export interface LeftAloneSummary {
  /** Marked people the SMS or the applied state has (a mark on an unknown id counts nothing). */
  people: number;
  /** Marked courses the SMS or the applied state has. */
  courses: number;
  /** Operations the plan would have made to them and does not. */
  operations: number;
  /** Planning errors of left-alone records, not reported (nothing is sent for them anyway). */
  errors: number;
}

/** The person and course an operation touches, as far as the operation says. */
interface Touches {
  people: string[];
  courses: string[];
}

function parsePair(key: string): [string, string] | undefined {
  try {
    const v = JSON.parse(key) as unknown;
    return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string'
      ? [v[0], v[1]]
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Drops from a plan every operation on a left-alone person or course, and whatever hangs off one
 * (their enrolments, their classes and memberships), and says how much was held back. Run last, on the
 * whole plan, so every other rule (duplicates, re-keys, removals) is decided as if the marks were not
 * there, and the applied state — the baseline — is left as it was: a marked person is not taken for
 * one who vanished, and once the mark is lifted the next plan picks up from what was last applied (the
 * SMS changes made meanwhile are sent then; a person who left the SMS meanwhile is removed then, by the
 * removal policy and behind the safety rail, like anyone else).
 *
 * A re-key touching a marked record is dropped with both its sides: the new SMS record's ops were
 * planned as the old account's, so sending them without the re-key would write to the wrong user.
 */
export function leaveAlone(
  plan: UploadPlan,
  marks: LeaveAloneMarks | undefined,
  snapshot: Pick<Snapshot, 'people' | 'courses' | 'groups'>,
  applied: AppliedState,
): UploadPlan {
  if (!marks || (marks.people.size === 0 && marks.courses.size === 0)) return plan;
  const people = new Set(marks.people);
  const courses = new Set(marks.courses);
  for (const op of plan.rekeyPeople) if (people.has(op.key) || people.has(op.from)) people.add(op.key).add(op.from);
  for (const op of plan.rekeyCourses) if (courses.has(op.key) || courses.has(op.from)) courses.add(op.key).add(op.from);

  const groupCourse = new Map<string, string>();
  for (const key in applied.groups) groupCourse.set(key, applied.groups[key]!.course);
  for (const g of snapshot.groups) groupCourse.set(g.smsId, g.courseSmsId);

  const touches = (kind: OpKind, op: { key: string; applied: unknown }): Touches => {
    const a = op.applied as { person?: string; course?: string } | undefined;
    switch (kind) {
      case 'rekeyPeople':
        return { people: [op.key, (op as unknown as { from: string }).from], courses: [] };
      case 'rekeyCourses':
        return { people: [], courses: [op.key, (op as unknown as { from: string }).from] };
      case 'createUsers':
      case 'updateUsers':
      case 'reactivateUsers':
      case 'suspendUsers':
        return { people: [op.key], courses: [] };
      case 'createCourses':
      case 'updateCourses':
        return { people: [], courses: [op.key] };
      case 'createGroups':
        return { people: [], courses: [(op as unknown as { course: string }).course] };
      case 'unenrol': {
        const u = op as unknown as { person: string; course: string };
        return { people: [u.person], courses: [u.course] };
      }
      case 'removeGroupMembers': {
        // Removing keys the record away: the key is membershipKey(group, person).
        const pair = parsePair(op.key);
        const course = pair ? groupCourse.get(pair[0]) : undefined;
        return { people: pair ? [pair[1]] : [], courses: course ? [course] : [] };
      }
      default:
        return { people: a?.person ? [a.person] : [], courses: a?.course ? [a.course] : [] };
    }
  };
  const isLeftAlone = (t: Touches) => t.people.some((p) => people.has(p)) || t.courses.some((c) => courses.has(c));

  const out: UploadPlan = { ...plan };
  let operations = 0;
  for (const kind of OP_KINDS) {
    const ops = plan[kind] as { key: string; applied: unknown }[];
    const kept = ops.filter((op) => !isLeftAlone(touches(kind, op)));
    operations += ops.length - kept.length;
    (out[kind] as unknown[]) = kept;
  }
  // Adopting a matched course records its baseline and link: that too waits for the mark to be lifted.
  out.adoptedCourses = plan.adoptedCourses.filter((c) => !courses.has(c.key));
  out.identities = (plan.identities ?? []).filter((i) => !people.has(i.key));
  const errorTouches = (e: PlanningError): Touches => {
    if (e.recordKind === 'person') return { people: [e.recordKey], courses: [] };
    if (e.recordKind === 'course') return { people: [], courses: [e.recordKey] };
    if (e.recordKind === 'group') {
      const course = groupCourse.get(e.recordKey);
      return { people: [], courses: course ? [course] : [] };
    }
    const pair = parsePair(e.recordKey);
    return pair ? { people: [pair[0]], courses: [pair[1]] } : { people: [], courses: [] };
  };
  out.errors = plan.errors.filter((e) => !isLeftAlone(errorTouches(e)));
  out.counts = countOperations(out, out.errors.length);

  const known = (set: ReadonlySet<string>, inSnapshot: ReadonlySet<string>, inApplied: Record<string, unknown>) =>
    [...set].filter((k) => inSnapshot.has(k) || k in inApplied).length;
  out.leftAlone = {
    people: known(people, new Set(snapshot.people.map((p) => p.smsId)), applied.people),
    courses: known(courses, new Set(snapshot.courses.map((c) => c.smsId)), applied.courses),
    operations,
    errors: plan.errors.length - out.errors.length,
  };
  return out;
}

/**
 * The applied state without left-alone people and courses (and their enrolments and memberships): the
 * safety rail's baseline. A removal limit is a share of what ClassBridge may change, so marking many
 * records as left alone does not loosen it (and the marked records are never removals either).
 * Returns `applied` itself when nothing is marked.
 */
export function withoutLeftAlone(applied: AppliedState, marks: LeaveAloneMarks | undefined): AppliedState {
  if (!marks || (marks.people.size === 0 && marks.courses.size === 0)) return applied;
  const keep = <T>(record: Record<string, T>, drop: (key: string, value: T) => boolean): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const key in record) if (!drop(key, record[key]!)) out[key] = record[key]!;
    return out;
  };
  return {
    ...applied,
    people: keep(applied.people, (k) => marks.people.has(k)),
    courses: keep(applied.courses, (k) => marks.courses.has(k)),
    enrolments: keep(applied.enrolments, (_, e) => marks.people.has(e.person) || marks.courses.has(e.course)),
    memberships: keep(applied.memberships, (_, m) => marks.people.has(m.person) || marks.courses.has(m.course)),
  };
}

const number = new Intl.NumberFormat('en');
const amount = (n: number, one: string, many: string) => `${number.format(n)} ${n === 1 ? one : many}`;

/** "Left alone (not touched, as you asked): 1 person and 2 courses — 5 changes not sent." Empty when nothing is marked. */
export function leftAloneSentence(summary: LeftAloneSummary | undefined): string {
  if (!summary || summary.people + summary.courses === 0) return '';
  const what = [
    summary.people > 0 ? amount(summary.people, 'person', 'people') : '',
    summary.courses > 0 ? amount(summary.courses, 'course', 'courses') : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const held = summary.operations + summary.errors;
  return `Left alone, as you asked: ${what}${held > 0 ? ` — ${amount(held, 'change', 'changes')} not sent` : ''}.`;
}
