import { controlCharacterIn, SmsProblemList, type SmsSnapshot } from '../../../adapters/contract';
import {
  CourseSchema,
  EnrolmentRowSchema,
  GroupSchema,
  PersonSchema,
  type Enrolment,
  type EnrolmentRow,
  type Snapshot,
} from '../model';
import { normaliseGuardians } from './normalise-guardians';

/**
 * Turns what an SMS reader produced into the snapshot the store keeps, checking everything the store
 * would otherwise refuse with a raw SQLite error, so `check` and `import` agree:
 * - every record against the engine's own schema (the reader's promise is not taken on trust);
 * - no id twice, no enrolment or group pointing at a person, course or class that is not there;
 * - no control characters in names and ids (a damaged export);
 * - one enrolment per person, course and role: a person's rows for several classes of one course
 *   merge into one enrolment with each class as a group membership.
 * Problems are collected (up to 100) and thrown together as one SmsImportError.
 *
 * Memory: records are validated one at a time and replace the reader's object in its array, so a
 * 1,000,000-row export is never held twice; the merge sorts in place instead of keying a map by
 * every row.
 */
export function normaliseSnapshot(raw: SmsSnapshot): Snapshot {
  const problems = new SmsProblemList();

  const people = validateEach(raw.people, PersonSchema, problems, (p, i) => `person ${describeKey(p, 'smsId', i)}`);
  const courses = validateEach(raw.courses, CourseSchema, problems, (c, i) => `course ${describeKey(c, 'smsId', i)}`);
  const groups = validateEach(raw.groups, GroupSchema, problems, (g, i) => `class ${describeKey(g, 'smsId', i)}`);
  const rows = validateEach(
    raw.enrolments,
    EnrolmentRowSchema,
    problems,
    (e, i) => `enrolment ${describeKey(e, 'personSmsId', i)} in ${describeKey(e, 'courseSmsId', i)}`,
  );

  const personIds = uniqueIds(people, (p) => p.smsId, 'person', problems);
  const courseIds = uniqueIds(courses, (c) => c.smsId, 'course', problems);
  const groupCourse = new Map<string, string>();
  for (const g of groups) {
    if (groupCourse.has(g.smsId)) {
      problems.add('duplicate', `class ${g.smsId} appears twice`, { field: 'smsId', found: g.smsId });
      continue;
    }
    groupCourse.set(g.smsId, g.courseSmsId);
    if (!courseIds.has(g.courseSmsId)) {
      problems.add('reference', `class ${g.smsId} belongs to course ${g.courseSmsId}, which is not in the export`, {
        field: 'courseSmsId',
        found: g.courseSmsId,
      });
    }
  }

  for (const p of people) {
    nameCheck(problems, `person ${p.smsId}`, {
      smsId: p.smsId,
      givenName: p.givenName,
      familyName: p.familyName,
      username: p.username,
      email: p.email,
    });
  }
  for (const c of courses) nameCheck(problems, `course ${c.smsId}`, { smsId: c.smsId, code: c.code, name: c.name });
  for (const g of groups) nameCheck(problems, `class ${g.smsId}`, { smsId: g.smsId, name: g.name });

  for (const e of rows) {
    const record = `enrolment of ${e.personSmsId} in ${e.courseSmsId}`;
    if (!personIds.has(e.personSmsId)) {
      problems.add('reference', `${record}: person ${e.personSmsId} is not in the export`, {
        field: 'personSmsId',
        found: e.personSmsId,
      });
    }
    if (!courseIds.has(e.courseSmsId)) {
      problems.add('reference', `${record}: course ${e.courseSmsId} is not in the export`, {
        field: 'courseSmsId',
        found: e.courseSmsId,
      });
    }
    if (e.groupSmsId !== undefined) {
      const groupOf = groupCourse.get(e.groupSmsId);
      if (groupOf === undefined) {
        problems.add('reference', `${record}: class ${e.groupSmsId} is not in the export`, {
          field: 'groupSmsId',
          found: e.groupSmsId,
        });
      } else if (groupOf !== e.courseSmsId) {
        problems.add('reference', `${record}: class ${e.groupSmsId} belongs to course ${groupOf}`, {
          field: 'groupSmsId',
          found: e.groupSmsId,
        });
      }
    }
  }
  const guardians = normaliseGuardians(raw, personIds, problems);
  problems.throwIfAny();
  return { people, courses, groups, enrolments: mergeEnrolmentRows(rows), ...guardians };
}

/**
 * One enrolment per person, course and role from rows that may repeat it once per class. Active rows
 * decide: the enrolment is active when any row is, its classes are the active rows' classes, and it
 * runs from the earliest start to the latest end among them (open-ended when any row is). A merge of
 * only inactive rows keeps every class, so a later reactivation finds them.
 */
export function mergeEnrolmentRows(rows: EnrolmentRow[]): Enrolment[] {
  rows.sort(compareRows);
  // Merged in place: each merged enrolment takes the slot of a row already read (out ≤ i), so the rows
  // are let go as they are merged instead of a second array of a million enrolments alongside them.
  const merged = rows as unknown as Enrolment[];
  let out = 0;
  let i = 0;
  while (i < rows.length) {
    let j = i + 1;
    while (j < rows.length && compareRows(rows[i]!, rows[j]!) === 0) j++;
    merged[out++] = mergeRun(rows, i, j);
    i = j;
  }
  merged.length = out;
  return merged;
}

function mergeRun(rows: readonly EnrolmentRow[], from: number, to: number): Enrolment {
  const first = rows[from]!;
  if (to - from === 1) {
    const { groupSmsId, ...rest } = first;
    return groupSmsId === undefined ? rest : { ...rest, groupSmsIds: [groupSmsId] };
  }
  const run = rows.slice(from, to);
  const deciding = run.some((r) => r.active) ? run.filter((r) => r.active) : run;
  const groups = [...new Set(deciding.flatMap((r) => (r.groupSmsId === undefined ? [] : [r.groupSmsId])))].sort();
  const starts = deciding.map((r) => r.startDate);
  const ends = deciding.map((r) => r.endDate);
  const startDate = starts.includes(undefined) ? undefined : (starts as string[]).reduce((a, b) => (b < a ? b : a));
  const endDate = ends.includes(undefined) ? undefined : (ends as string[]).reduce((a, b) => (b > a ? b : a));
  // The SMS's own outcome, where a deciding row has one (rows of one enrolment repeat it per class).
  const outcome = deciding.find((r) => r.outcome !== undefined)?.outcome;
  return {
    personSmsId: first.personSmsId,
    courseSmsId: first.courseSmsId,
    role: first.role,
    ...(groups.length > 0 ? { groupSmsIds: groups } : {}),
    ...(outcome !== undefined ? { outcome } : {}),
    active: deciding[0]!.active,
    ...(startDate !== undefined ? { startDate } : {}),
    ...(endDate !== undefined ? { endDate } : {}),
  };
}

function compareRows(a: EnrolmentRow, b: EnrolmentRow): number {
  return cmp(a.personSmsId, b.personSmsId) || cmp(a.courseSmsId, b.courseSmsId) || cmp(a.role, b.role);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface RecordSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * Validates each record and puts the parsed one in its place in the reader's array (the reader's own
 * object can then be collected). Returns the same array, now of parsed records; bad ones are left out
 * and reported.
 */
function validateEach<T>(
  items: unknown[],
  schema: RecordSchema<T>,
  problems: SmsProblemList,
  name: (item: unknown, index: number) => string,
): T[] {
  const out = items as T[];
  let kept = 0;
  for (let i = 0; i < items.length; i++) {
    const parsed = schema.safeParse(items[i]);
    if (parsed.success) {
      out[kept++] = parsed.data;
      continue;
    }
    const issue = parsed.error.issues[0];
    problems.add('format', `${name(items[i], i)}: ${issue?.message ?? 'not a valid record'}`, {
      ...(issue && issue.path.length > 0 ? { field: issue.path.map(String).join('.') } : {}),
    });
  }
  out.length = kept;
  return out;
}

function describeKey(item: unknown, key: string, index: number): string {
  const value = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : `#${index + 1}`;
}

function uniqueIds<T>(
  items: readonly T[],
  id: (item: T) => string,
  kind: string,
  problems: SmsProblemList,
): Set<string> {
  const seen = new Set<string>();
  for (const item of items) {
    const key = id(item);
    if (seen.has(key)) problems.add('duplicate', `${kind} ${key} appears twice`, { field: 'smsId', found: key });
    seen.add(key);
  }
  return seen;
}

function nameCheck(problems: SmsProblemList, record: string, fields: Record<string, string | undefined>): void {
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const bad = controlCharacterIn(value);
    if (bad) problems.add('format', `${record} has a control character (${bad}) in ${field}`, { field, found: value });
  }
}

/**
 * The stored snapshot as a reader's rows (one enrolment row per class), for readers that apply
 * changes to the current data: a OneRoster delta, KAMAR part pushes.
 */
export function toReaderSnapshot(snapshot: Snapshot): SmsSnapshot {
  const enrolments: SmsSnapshot['enrolments'] = [];
  for (const { groupSmsIds = [], ...rest } of snapshot.enrolments) {
    if (groupSmsIds.length === 0) enrolments.push(rest);
    for (const groupSmsId of groupSmsIds) enrolments.push({ ...rest, groupSmsId });
  }
  return {
    people: snapshot.people,
    courses: snapshot.courses,
    groups: snapshot.groups,
    enrolments,
    ...(snapshot.guardians ? { guardians: snapshot.guardians } : {}),
    ...(snapshot.guardianLinks ? { guardianLinks: snapshot.guardianLinks } : {}),
  };
}
