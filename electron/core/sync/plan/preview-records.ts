import type { Snapshot } from '../../model';
import type { AppliedState } from './applied-state';
import type { LeaveAloneMarks } from './leave-alone';
import { REKEY_EVIDENCE_WORDS, type SkipReason, type UploadPlan } from './operations';
import type { SkipExample } from './skip-examples';
import { personName } from '../../model';

/**
 * The dry run's table of records, like Moodle's own upload preview (admin/tool/uploaduser: the first
 * rows of the file with a status each): per kind (people, courses, enrolments, classes) the first `n`
 * records the plan touches or skips, each with what happens to it — create, link to an existing
 * account, update with the field diff ("email: a@x → b@x"), reactivate, suspend, remove, or skip and
 * why ("course not in the LMS", "left alone").
 *
 * Built from the plan's operations, errors and skip examples, `n` of each (never a walk over every
 * record of the school per row): the cost grows with `n`. The categories are interleaved, so the first
 * rows show each status the plan has rather than ten creates hiding the one update.
 */

export type RecordStatus = 'create' | 'link' | 'update' | 'reactivate' | 'suspend' | 'remove' | 'skip';

export interface RecordChange {
  field: string;
  from: string;
  to: string;
}

export interface RecordRow {
  /** The SMS key (an enrolment's: person and course). */
  key: string;
  /** As the admin knows the record: "Aroha Ngata (S1001)", "10ENG English", "Aroha Ngata in 10ENG". */
  name: string;
  status: RecordStatus;
  /** What happens, or why not, in words: "username aroha.ngata", "course not in the LMS". */
  detail: string;
  /** An update's fields, before and after. */
  changes?: RecordChange[];
  /** A person's create: the account it makes, which the dry run looks up in the LMS (a link instead?). */
  account?: { username: string; idnumber: string; email: string };
}

export interface PreviewRecords {
  people: RecordRow[];
  courses: RecordRow[];
  enrolments: RecordRow[];
  classes: RecordRow[];
}

/** Records shown per kind by default (the wizard's table). */
export const PREVIEW_RECORDS = 10;

export const SKIP_REASON_WORDS: Readonly<Record<SkipReason, string>> = {
  'course-new': 'the LMS course is New: open it on the Courses page to sync it',
  'course-closed': 'the LMS course is Closed, so it is left as it is',
  'course-deleted': 'the course was deleted in the LMS',
  'course-not-in-lms': 'course not in the LMS (and ClassBridge does not create courses here)',
  'person-not-planned': 'the person is not synced (see their row under People)',
};

const LEFT_ALONE = 'left alone, as you asked';

type PlanPart = Pick<
  UploadPlan,
  | 'createUsers'
  | 'updateUsers'
  | 'reactivateUsers'
  | 'rekeyPeople'
  | 'suspendUsers'
  | 'createCourses'
  | 'updateCourses'
  | 'rekeyCourses'
  | 'adoptedCourses'
  | 'enrol'
  | 'suspendEnrolments'
  | 'unenrol'
  | 'createGroups'
  | 'addGroupMembers'
  | 'removeGroupMembers'
  | 'errors'
  | 'skipped'
  | 'skipExamples'
>;

export interface RecordsInput {
  plan: PlanPart;
  snapshot: Pick<Snapshot, 'people' | 'courses' | 'groups'>;
  applied: Pick<AppliedState, 'people' | 'courses' | 'groups' | 'enrolments' | 'links'>;
  leaveAlone?: LeaveAloneMarks | undefined;
}

/** The table of the first `n` records of each kind. */
export function previewRecords(input: RecordsInput, n: number = PREVIEW_RECORDS): PreviewRecords {
  const { plan, applied } = input;
  const names = new Names(input);
  const skips = plan.skipExamples ?? [];
  const errorsOf = (kind: string) => plan.errors.filter((e) => e.recordKind === kind).slice(0, n);
  // A mark on an id neither the SMS nor the applied state has is nobody's row.
  const marked = (set: ReadonlySet<string> | undefined, known: (key: string) => boolean) =>
    [...(set ?? [])].filter(known).slice(0, n);

  const people = interleave(n, [
    () =>
      plan.createUsers.slice(0, n).map((op) => {
        const lmsId = applied.links.people[op.key];
        const { username, idnumber, email } = op.record;
        const r = row(op.key, names.person(op.key, op.record), lmsId ? 'link' : 'create', [
          lmsId ? `LMS account id ${lmsId}` : '',
          `username ${username}`,
          email ? `email ${email}` : '',
        ]);
        return lmsId ? r : { ...r, account: { username, idnumber, email } };
      }),
    () =>
      plan.updateUsers.slice(0, n).map((op) => {
        const changes = userChanges(applied.people[op.key], op.record, op.changed);
        return { ...row(op.key, names.person(op.key), 'update', [changeWords(changes)]), changes };
      }),
    () =>
      plan.reactivateUsers.slice(0, n).map((op) => {
        const changes = userChanges(applied.people[op.key], op.record, Object.keys(op.record));
        const detail = ['suspended before, back in the SMS', changeWords(changes)];
        return { ...row(op.key, names.person(op.key), 'reactivate', detail), ...(changes.length ? { changes } : {}) };
      }),
    () =>
      plan.rekeyPeople
        .slice(0, n)
        .map((op) =>
          row(op.key, names.person(op.key), 'update', [
            `keeps LMS account id ${op.lmsId} of ${op.from} (${REKEY_EVIDENCE_WORDS[op.evidence]})`,
          ]),
        ),
    () =>
      plan.suspendUsers
        .slice(0, n)
        .map((op) => row(op.key, names.person(op.key), 'suspend', ['gone from the SMS: the account is suspended'])),
    () => errorsOf('person').map((e) => row(e.recordKey, names.person(e.recordKey), 'skip', [e.message])),
    () =>
      marked(input.leaveAlone?.people, (k) => names.knowsPerson(k)).map((key) =>
        row(key, names.person(key), 'skip', [LEFT_ALONE]),
      ),
  ]);

  const courseSkips = new Map<string, SkipReason>();
  for (const s of skips)
    if (!courseSkips.has(s.course) && s.reason !== 'person-not-planned') courseSkips.set(s.course, s.reason);
  const courses = interleave(n, [
    () =>
      plan.createCourses
        .slice(0, n)
        .map((op) =>
          row(op.key, names.course(op.key), 'create', [
            `short name ${op.record.shortname}`,
            `category ${op.record.categoryId}`,
            op.template ? `copied from LMS course id ${op.template.templateCourseId}` : '',
          ]),
        ),
    () =>
      plan.adoptedCourses
        .slice(0, n)
        .map((c) =>
          row(c.key, names.course(c.key), 'link', [
            `existing LMS course id ${c.lmsId} (${c.applied.shortname}), kept as it is`,
          ]),
        ),
    () =>
      plan.updateCourses.slice(0, n).map((op) => {
        const changes = courseChanges(applied.courses[op.key], op.record, op.changed);
        return { ...row(op.key, names.course(op.key), 'update', [changeWords(changes)]), changes };
      }),
    () =>
      plan.rekeyCourses
        .slice(0, n)
        .map((op) =>
          row(op.key, names.course(op.key), 'update', [
            `keeps LMS course id ${op.lmsId} of ${op.fromCode} (same name and teachers)`,
          ]),
        ),
    () => errorsOf('course').map((e) => row(e.recordKey, names.course(e.recordKey), 'skip', [e.message])),
    () =>
      [...courseSkips]
        .slice(0, n)
        .map(([key, reason]) => row(key, names.course(key), 'skip', [SKIP_REASON_WORDS[reason]])),
    () =>
      marked(input.leaveAlone?.courses, (k) => names.knowsCourse(k)).map((key) =>
        row(key, names.course(key), 'skip', [LEFT_ALONE]),
      ),
  ]);

  const enrolmentName = (person: string, course: string) => `${names.person(person)} in ${names.courseCode(course)}`;
  const enrolments = interleave(n, [
    () =>
      plan.enrol.slice(0, n).map((op) => {
        const [person, course] = [op.applied.person, op.applied.course];
        const before = applied.enrolments[op.key];
        if (op.reason === 'new') return row(op.key, enrolmentName(person, course), 'create', [`as ${op.applied.role}`]);
        if (op.reason === 'reactivated')
          return row(op.key, enrolmentName(person, course), 'reactivate', [
            `suspended before, back in the SMS as ${op.applied.role}`,
          ]);
        const changes = before ? enrolmentChanges(before, op.applied) : [];
        return { ...row(op.key, enrolmentName(person, course), 'update', [changeWords(changes)]), changes };
      }),
    () =>
      plan.suspendEnrolments
        .slice(0, n)
        .map((op) =>
          row(op.key, enrolmentName(op.applied.person, op.applied.course), 'suspend', [
            'gone from the SMS: the enrolment is suspended',
          ]),
        ),
    () =>
      plan.unenrol
        .slice(0, n)
        .map((op) => row(op.key, enrolmentName(op.person, op.course), 'remove', ['gone from the SMS: unenrolled'])),
    () =>
      errorsOf('enrolment').map((e) => {
        const pair = parsePair(e.recordKey);
        return row(e.recordKey, pair ? enrolmentName(pair[0], pair[1]) : e.recordKey, 'skip', [e.message]);
      }),
    () =>
      skips
        .filter((s): s is SkipExample & { person: string } => s.kind === 'enrolment' && s.person !== undefined)
        .slice(0, n)
        .map((s) => row(s.key, enrolmentName(s.person, s.course), 'skip', [SKIP_REASON_WORDS[s.reason]])),
  ]);

  const classes = interleave(n, [
    () =>
      plan.createGroups
        .slice(0, n)
        .map((op) =>
          row(op.key, `${op.record.name} (${names.courseCode(op.course)})`, 'create', [
            `a group in ${names.courseCode(op.course)}`,
          ]),
        ),
    () =>
      plan.addGroupMembers
        .slice(0, n)
        .map((op) =>
          row(op.key, names.className(op.applied.group), 'update', [`adds ${names.person(op.applied.person)}`]),
        ),
    () =>
      plan.removeGroupMembers.slice(0, n).map((op) => {
        const pair = parsePair(op.key);
        return row(op.key, pair ? names.className(pair[0]) : op.key, 'remove', [
          pair ? `takes out ${names.person(pair[1])}` : 'takes a member out',
        ]);
      }),
    () => errorsOf('group').map((e) => row(e.recordKey, names.className(e.recordKey), 'skip', [e.message])),
    () =>
      skips
        .filter((s) => s.kind === 'class')
        .slice(0, n)
        .map((s) => row(s.key, names.className(s.key), 'skip', [SKIP_REASON_WORDS[s.reason]])),
  ]);

  return { people, courses, enrolments, classes };
}

function row(key: string, name: string, status: RecordStatus, details: string[]): RecordRow {
  return { key, name, status, detail: details.filter(Boolean).join(', ') };
}

/** Up to `n` rows, one from each category in turn, so each status the plan has shows among the first. */
function interleave(n: number, categories: (() => RecordRow[])[]): RecordRow[] {
  const lists = categories.map((c) => c());
  const out: RecordRow[] = [];
  for (let i = 0; out.length < n && lists.some((l) => i < l.length); i++) {
    for (const list of lists) {
      if (i < list.length && out.length < n) out.push(list[i]!);
    }
  }
  return out;
}

const shown = (v: unknown): string => (v === undefined || v === null || v === '' ? '(empty)' : String(v));

/** "email: a@x → b@x; lastname: Smith → Smyth". */
function changeWords(changes: RecordChange[]): string {
  return changes.map((c) => `${c.field}: ${c.from} → ${c.to}`).join('; ');
}

function userChanges(
  before: AppliedState['people'][string] | undefined,
  record: Record<string, unknown> & { profileFields?: Readonly<Record<string, string>> },
  changed: readonly string[],
): RecordChange[] {
  const out: RecordChange[] = [];
  for (const field of changed) {
    if (field === 'id' || field === 'suspended' || field === 'profileFields') continue;
    if (field in record && field !== 'profileFields') {
      out.push({ field, from: shown(before?.[field as keyof typeof before]), to: shown(record[field]) });
    } else if (record.profileFields && field in record.profileFields) {
      out.push({ field, from: shown(before?.profile?.[field]), to: shown(record.profileFields[field]) });
    }
  }
  return out;
}

const DATE_FIELDS = new Set(['startDate', 'endDate', 'timeStart', 'timeEnd']);

/** A unix-seconds date as the admin reads it (UTC day; 0 is no date). */
function dateWords(v: unknown): string {
  if (typeof v !== 'number') return shown(v);
  return v === 0 ? '(none)' : new Date(v * 1000).toISOString().slice(0, 10);
}

function courseChanges(
  before: AppliedState['courses'][string] | undefined,
  record: Record<string, unknown>,
  changed: readonly string[],
): RecordChange[] {
  return changed
    .filter((f) => f !== 'id' && f in record)
    .map((field) => {
      const from = before?.[field as keyof typeof before];
      const to = record[field];
      return DATE_FIELDS.has(field)
        ? { field, from: dateWords(from), to: dateWords(to) }
        : { field, from: shown(from), to: shown(to) };
    });
}

function enrolmentChanges(
  before: AppliedState['enrolments'][string],
  after: AppliedState['enrolments'][string],
): RecordChange[] {
  const out: RecordChange[] = [];
  if (before.role !== after.role) out.push({ field: 'role', from: before.role, to: after.role });
  for (const field of ['timeStart', 'timeEnd'] as const)
    if (before[field] !== after[field])
      out.push({ field, from: dateWords(before[field]), to: dateWords(after[field]) });
  return out;
}

function parsePair(key: string): [string, string] | undefined {
  try {
    const v: unknown = JSON.parse(key);
    return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string'
      ? [v[0], v[1]]
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Names for the rows: from the operation or the applied state where they carry one, else from the
 * snapshot, looked up once for all rows (the snapshot's lists are indexed on first need only).
 */
class Names {
  private people?: Map<string, string>;
  private courses?: Map<string, { code: string; name: string }>;
  private groups?: Map<string, { name: string; course: string }>;

  constructor(private readonly input: RecordsInput) {}

  person(key: string, record?: { firstname: string; lastname: string }): string {
    const applied = this.input.applied.people[key];
    const name = record
      ? `${record.firstname} ${record.lastname}`
      : applied
        ? `${applied.firstname} ${applied.lastname}`
        : this.smsPerson(key);
    return name?.trim() ? `${name.trim()} (${key})` : key;
  }

  course(key: string): string {
    const c = this.smsCourse(key);
    if (c) return `${c.code} ${c.name}`.trim();
    const applied = this.input.applied.courses[key];
    return applied ? applied.fullname : key;
  }

  courseCode(key: string): string {
    return this.smsCourse(key)?.code || this.input.applied.courses[key]?.shortname || key;
  }

  className(key: string): string {
    const g = this.smsGroup(key) ?? this.input.applied.groups[key];
    return g ? `${g.name || key} (${this.courseCode(g.course)})` : key;
  }

  knowsPerson(key: string): boolean {
    return key in this.input.applied.people || this.smsPerson(key) !== undefined;
  }

  knowsCourse(key: string): boolean {
    return key in this.input.applied.courses || this.smsCourse(key) !== undefined;
  }

  private smsPerson(key: string): string | undefined {
    this.people ??= new Map(this.input.snapshot.people.map((p) => [p.smsId, personName(p)]));
    return this.people.get(key);
  }

  private smsCourse(key: string) {
    this.courses ??= new Map(this.input.snapshot.courses.map((c) => [c.smsId, { code: c.code, name: c.name }]));
    return this.courses.get(key);
  }

  private smsGroup(key: string) {
    this.groups ??= new Map(this.input.snapshot.groups.map((g) => [g.smsId, { name: g.name, course: g.courseSmsId }]));
    return this.groups.get(key);
  }
}
