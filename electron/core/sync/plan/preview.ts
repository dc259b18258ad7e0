import {
  OP_KINDS,
  REKEY_EVIDENCE_WORDS,
  type DeletedCourseSkip,
  type RekeyCourseOp,
  type RekeyUserOp,
  type OpKind,
  type PlanCounts,
  type PlanningError,
  type PlanOperations,
  type UploadPlan,
} from './operations';
import { chooseCourseCategory, courseTemplateValues } from '../../model';
import type { PlanInput } from './plan-input';
import { courseNames, templatedPeople } from './templates';
import { leftAloneSentence } from './leave-alone';
import { personName } from '../../model';

/**
 * What the mapping's name templates give one record, for the dry run: a person's username and email, a
 * course's full and short name, or why the record gets none (the planning error's message).
 */
export interface NameExample {
  kind: 'person' | 'course';
  /** The SMS key. */
  key: string;
  /** "Anna Smith" / "MATH101 Mathematics". */
  name: string;
  values: Record<string, string>;
  error?: string;
}

/**
 * The templates' results on the first `n` active people and courses of the snapshot (suffixes decided
 * over everyone, as the plan does), whether or not the upload writes them; undefined without templates.
 */
export function nameExamples(
  input: Pick<PlanInput, 'snapshot' | 'mapping' | 'applied'>,
  n = 3,
): NameExample[] | undefined {
  const { snapshot, mapping, applied } = input;
  const out: NameExample[] = [];
  const active = new Map(snapshot.people.filter((p) => p.active).map((p) => [p.smsId, p] as const));
  const people = templatedPeople(active, mapping, applied);
  if (people) {
    const errors = new Map(people.errors.map((e) => [e.recordKey, e.message]));
    for (const p of [...active.values()].slice(0, n)) {
      const error = errors.get(p.smsId);
      out.push({
        kind: 'person',
        key: p.smsId,
        name: personName(p),
        values: { ...people.names.get(p.smsId) },
        ...(error ? { error } : {}),
      });
    }
  }
  if (mapping.courseFullnameTemplate !== undefined || mapping.courseShortnameTemplate !== undefined) {
    for (const c of snapshot.courses.slice(0, n)) {
      const r = courseNames(c, mapping);
      out.push({
        kind: 'course',
        key: c.smsId,
        name: `${c.code} ${c.name}`.trim(),
        values: r.ok ? { ...r.names } : {},
        ...(r.ok ? {} : { error: r.error.message }),
      });
    }
  }
  return out.length > 0 ? out : undefined;
}

/** Where one course the plan creates goes, and which rule sent it there (mapping.courseCategories). */
export interface CategoryExample {
  /** The SMS key. */
  key: string;
  /** "MATH101 Mathematics". */
  name: string;
  categoryId: number;
  /** e.g. `rule 1: code matches /^MATH/`, or `newCourseCategoryId (no rule matched)`. */
  because: string;
}

/**
 * The first `n` courses the plan creates, each with what `choose` says of it (skipped where it says
 * nothing): the one walk the dry run's category and template examples share.
 */
function createdCourseExamples<T>(
  plan: Pick<UploadPlan, 'createCourses'>,
  snapshot: Pick<PlanInput['snapshot'], 'courses'>,
  n: number,
  choose: (op: UploadPlan['createCourses'][number], course: PlanInput['snapshot']['courses'][number]) => T | undefined,
): ({ key: string; name: string } & T)[] | undefined {
  const bySmsId = new Map(snapshot.courses.map((c) => [c.smsId, c] as const));
  const out: ({ key: string; name: string } & T)[] = [];
  for (const op of plan.createCourses.slice(0, n)) {
    const c = bySmsId.get(op.key);
    const choice = c && choose(op, c);
    if (c && choice) out.push({ key: c.smsId, name: `${c.code} ${c.name}`.trim(), ...choice });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The first `n` courses the plan creates, with their category and why; undefined when the mapping has
 * no category rules (then every new course goes to newCourseCategoryId, which the mapping already says).
 */
export function categoryExamples(
  plan: Pick<UploadPlan, 'createCourses'>,
  input: Pick<PlanInput, 'snapshot' | 'mapping'>,
  n = 3,
): CategoryExample[] | undefined {
  const { snapshot, mapping } = input;
  if (!mapping.courseCategories?.length) return undefined;
  return createdCourseExamples(plan, snapshot, n, (_op, c) => {
    const choice = chooseCourseCategory(mapping, courseTemplateValues(c));
    return choice && { categoryId: choice.categoryId, because: choice.because };
  });
}

/** Which template one course the plan creates is copied from, and which rule chose it (mapping.courseTemplates). */
export interface TemplateExample {
  key: string;
  name: string;
  templateCourseId: number;
  /** e.g. `rule 1: subject equals "Mathematics"`. */
  because: string;
}

/**
 * The first `n` courses the plan creates, with the template each is copied from (as the plan decided it,
 * so the dry run shows what the upload does); undefined when the mapping has no template rules. A course
 * no rule matches is left out: it is created empty, as without rules.
 */
export function templateExamples(
  plan: Pick<UploadPlan, 'createCourses'>,
  input: Pick<PlanInput, 'snapshot' | 'mapping'>,
  n = 3,
): TemplateExample[] | undefined {
  if (!input.mapping.courseTemplates?.length) return undefined;
  return createdCourseExamples(
    plan,
    input.snapshot,
    n,
    (op) => op.template && { templateCourseId: op.template.templateCourseId, because: op.template.because },
  );
}

export type PlanSamples = { [K in OpKind]?: Pick<PlanOperations[K][number], 'key' | 'record'>[] };

/** What a dry run shows: counts, one sentence, and the first records of each kind. */
export interface PlanPreview {
  connectionId: string;
  counts: PlanCounts;
  /** e.g. "Will create 812 users, 43 courses, 3,210 enrolments; suspend 2 users." */
  summary: string;
  /** The first `n` operations of each kind that has any. */
  samples: PlanSamples;
  errors: PlanningError[];
  skipped: UploadPlan['skipped'];
  /** What leave-alone marks held back (absent when nothing is marked). */
  leftAlone?: UploadPlan['leftAlone'];
}

const number = new Intl.NumberFormat('en');

function amount(n: number, one: string, many: string): string {
  return `${number.format(n)} ${n === 1 ? one : many}`;
}

/** One sentence for the admin (and the CLI), by verb: "Will create 812 users, 43 courses, 3,210 enrolments". */
export function describePlan(plan: UploadPlan): string {
  const enrolBy = (reason: 'new' | 'changed' | 'reactivated') => plan.enrol.filter((e) => e.reason === reason).length;
  const verbs: [string, [number, string, string][]][] = [
    [
      'create',
      [
        [plan.createUsers.length, 'user', 'users'],
        [plan.createCourses.length, 'course', 'courses'],
        [plan.createGroups.length, 'group', 'groups'],
        [plan.createCohorts.length, 'cohort', 'cohorts'],
        [enrolBy('new'), 'enrolment', 'enrolments'],
      ],
    ],
    [
      'update',
      [
        [plan.updateUsers.length, 'user', 'users'],
        [plan.updateCourses.length, 'course', 'courses'],
        [enrolBy('changed'), 'enrolment', 'enrolments'],
      ],
    ],
    [
      'reactivate',
      [
        [plan.reactivateUsers.length, 'user', 'users'],
        [enrolBy('reactivated'), 'enrolment', 'enrolments'],
      ],
    ],
    [
      'add',
      [
        [plan.addGroupMembers.length, 'group member', 'group members'],
        [plan.addCohortMembers.length, 'cohort member', 'cohort members'],
      ],
    ],
    [
      'suspend',
      [
        [plan.suspendUsers.length, 'user', 'users'],
        [plan.suspendEnrolments.length, 'enrolment', 'enrolments'],
      ],
    ],
    [
      'remove',
      [
        [plan.unenrol.length, 'enrolment', 'enrolments'],
        [plan.removeGroupMembers.length, 'group member', 'group members'],
        [plan.removeCohortMembers.length, 'cohort member', 'cohort members'],
      ],
    ],
  ];
  const phrases = verbs
    .map(([verb, items]) => {
      const parts = items.filter(([n]) => n > 0).map(([n, one, many]) => amount(n, one, many));
      return parts.length > 0 ? `${verb} ${parts.join(', ')}` : '';
    })
    .filter(Boolean);
  const onlyRekeys = phrases.length === 0 && plan.rekeyPeople.length + plan.rekeyCourses.length > 0;
  const main = phrases.length > 0 ? `Will ${phrases.join('; ')}.` : onlyRekeys ? '' : 'Nothing to change.';
  const errors = plan.errors.length;
  const sentences = [main, ...deletedCourseSentences(plan.skipped.deletedCourses)].filter(Boolean);
  if (plan.rekeyCourses.length > 0) sentences.unshift(`${courseRekeySentence(plan.rekeyCourses)}.`);
  if (plan.rekeyPeople.length > 0) sentences.unshift(`${rekeySentence(plan.rekeyPeople)}.`);
  if (errors > 0) sentences.push(`${amount(errors, 'record', 'records')} cannot be synced until fixed.`);
  const leftAlone = leftAloneSentence(plan.leftAlone);
  if (leftAlone) sentences.push(leftAlone);
  return sentences.join(' ');
}

const NAMED_REKEYS = 3;

/**
 * "2 people re-keyed: S123 → S999 (same USI), S124 → S998 (same NSN)": people who left the SMS and came
 * back under a new SMS id keep their LMS account (the first three named, the rest counted).
 */
export function rekeySentence(rekeys: readonly Pick<RekeyUserOp, 'from' | 'key' | 'evidence'>[]): string {
  const named = rekeys.length > NAMED_REKEYS + 1 ? rekeys.slice(0, NAMED_REKEYS) : rekeys;
  const parts = named.map((r) => `${r.from} → ${r.key} (${REKEY_EVIDENCE_WORDS[r.evidence]})`);
  if (rekeys.length > named.length) parts.push(`and ${number.format(rekeys.length - named.length)} more`);
  return `${amount(rekeys.length, 'person', 'people')} re-keyed: ${parts.join(', ')}`;
}

/** "1 course re-keyed: MATH101 → MATH102 (same name and teachers)": a course whose code changed keeps its LMS course. */
export function courseRekeySentence(rekeys: readonly Pick<RekeyCourseOp, 'fromCode' | 'record'>[]): string {
  const named = rekeys.length > NAMED_REKEYS + 1 ? rekeys.slice(0, NAMED_REKEYS) : rekeys;
  const parts = named.map(
    (r) => `${r.fromCode} → ${r.record.idnumber ?? r.record.shortname ?? '?'} (same name and teachers)`,
  );
  if (rekeys.length > named.length) parts.push(`and ${number.format(rekeys.length - named.length)} more`);
  return `${amount(rekeys.length, 'course', 'courses')} re-keyed: ${parts.join(', ')}`;
}

const NAMED_DELETED_COURSES = 3;

/**
 * What the SMS still wants in courses deleted in the LMS, which the plan does not send: without it a
 * deleted course's enrolments would vanish behind "Nothing to change". The first three courses (in SMS
 * order) by code, the rest summed.
 */
export function deletedCourseSentences(deleted: readonly DeletedCourseSkip[]): string[] {
  const what = (enrolments: number, groups: number) =>
    [
      enrolments > 0 ? amount(enrolments, 'enrolment', 'enrolments') : '',
      groups > 0 ? amount(groups, 'class', 'classes') : '',
    ]
      .filter(Boolean)
      .join(' and ');
  const verb = (enrolments: number, groups: number) => (enrolments + groups === 1 ? 'is' : 'are');
  const named = deleted.length > NAMED_DELETED_COURSES + 1 ? deleted.slice(0, NAMED_DELETED_COURSES) : deleted;
  const sentences = named.map(
    (d) =>
      `${what(d.enrolments, d.groups)} of ${d.code} ${verb(d.enrolments, d.groups)} not sent: the course was deleted in the LMS.`,
  );
  const rest = deleted.slice(named.length);
  if (rest.length > 0) {
    const enrolments = rest.reduce((n, d) => n + d.enrolments, 0);
    const groups = rest.reduce((n, d) => n + d.groups, 0);
    sentences.push(
      `${what(enrolments, groups)} of ${rest.length} more courses ${verb(enrolments, groups)} not sent: those courses were deleted in the LMS.`,
    );
  }
  return sentences;
}

/** The dry-run view of a plan: counts, summary and the first `n` records of each kind. */
export function preview(plan: UploadPlan, n = 3): PlanPreview {
  const samples: PlanSamples = {};
  for (const kind of OP_KINDS) {
    const ops = plan[kind];
    if (ops.length === 0) continue;
    (samples as Record<OpKind, unknown>)[kind] = ops.slice(0, n).map((op) => ({ key: op.key, record: op.record }));
  }
  return {
    connectionId: plan.connectionId,
    counts: plan.counts,
    summary: describePlan(plan),
    samples,
    errors: plan.errors.slice(0, n),
    skipped: plan.skipped,
    ...(plan.leftAlone ? { leftAlone: plan.leftAlone } : {}),
  };
}
