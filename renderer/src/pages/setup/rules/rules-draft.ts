/**
 * The provisioning rules beyond names, sign-in and profile fields (issue 15: term lifecycle, course
 * categories, cohorts, parents, course templates) as the wizard's mapping step and Settings → Provisioning
 * rules edit them: strings as typed (a half-typed number survives a reload of the wizard's draft), turned
 * into the mapping's keys by `rulesMapping` and back by `rulesDraftFrom`, checked by `rulesErrors` with
 * the engine's own schema (MappingSchema), each issue on the control it is about.
 */
import type { z } from 'zod';
import { COURSE_TEMPLATE_FIELDS, MappingSchema, type Mapping } from '../../../../../electron/core/model';

export type RuleTest = 'equals' | 'matches';
export type EndedCourses = 'keep' | 'close' | 'close-and-hide';

/** A course rule: when a course field equals / matches a value, use this target (a category or template course id). */
export interface CourseRuleDraft {
  field: string;
  test: RuleTest;
  value: string;
  target: string;
}

export interface CohortRuleDraft {
  /** An SMS field of the person (yearLevel, house, tutorGroup, …) or "class". */
  from: string;
  /** The cohort's name: a template that may use {value}; empty = "{value}". */
  name: string;
  students: boolean;
  staff: boolean;
}

export interface RulesDraft {
  endedCourses: EndedCourses;
  closeAfterDays: string;
  pauseWindows: { from: string; until: string }[];
  betweenTerms: boolean;
  daysBeforeNext: string;
  categories: CourseRuleDraft[];
  cohorts: CohortRuleDraft[];
  cohortCategoryId: string;
  parentsEnabled: boolean;
  parentRoleId: string;
  /** Comma-separated relationships that count; empty = all of them. */
  parentRelationships: string;
  courseTemplates: CourseRuleDraft[];
}

export const DEFAULT_RULES: RulesDraft = {
  endedCourses: 'keep',
  closeAfterDays: '0',
  pauseWindows: [],
  betweenTerms: false,
  daysBeforeNext: '7',
  categories: [],
  cohorts: [],
  cohortCategoryId: '',
  parentsEnabled: false,
  parentRoleId: '',
  parentRelationships: '',
  courseTemplates: [],
};

/** Every mapping key this editor owns: a rule removed here is removed from the saved mapping too. */
export const RULE_KEYS = ['lifecycle', 'courseCategories', 'parents', 'cohorts', 'courseTemplates'] as const;
export type RulesMapping = Partial<Pick<Mapping, (typeof RULE_KEYS)[number]>>;

/** A course field's words for the admin (the fields the name templates and category rules know). */
const COURSE_FIELD_WORDS: Partial<Record<string, string>> = {
  code: 'Course code',
  name: 'Course name',
  smsId: 'SMS course id',
  startDate: 'Start date',
  endDate: 'End date',
  year: 'Year (of the start date)',
  term: 'Term',
  subject: 'Subject',
};
/** The course fields a rule may test, in the engine's order, with their words (the field's name for one not listed). */
export const COURSE_FIELDS: readonly { value: string; label: string }[] = COURSE_TEMPLATE_FIELDS.map((f) => ({
  value: f,
  label: COURSE_FIELD_WORDS[f] ?? f,
}));

const text = (n: number | undefined): string => (n === undefined ? '' : String(n));
const WHOLE = /^\d+$/;

/** A whole number as typed, or NaN (which the checks below name in plain words before the schema sees it). */
function whole(value: string): number {
  return WHOLE.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}

function courseRuleFrom(
  rule: { field: string; equals?: string | undefined; matches?: string | undefined },
  target: number,
) {
  return {
    field: rule.field,
    test: rule.matches !== undefined ? ('matches' as const) : ('equals' as const),
    value: rule.matches ?? rule.equals ?? '',
    target: String(target),
  };
}

export function rulesDraftFrom(m: RulesMapping): RulesDraft {
  const pause = m.lifecycle?.rolloverPause;
  return {
    endedCourses: m.lifecycle?.endedCourses ?? 'keep',
    closeAfterDays: String(m.lifecycle?.closeAfterDays ?? 0),
    pauseWindows: (pause?.windows ?? []).map((w) => ({ from: w.from, until: w.until })),
    betweenTerms: pause?.betweenTerms !== undefined,
    daysBeforeNext: String(pause?.betweenTerms?.daysBeforeNext ?? DEFAULT_RULES.daysBeforeNext),
    categories: (m.courseCategories ?? []).map((r) => courseRuleFrom(r, r.categoryId)),
    cohorts: (m.cohorts?.rules ?? []).map((r) => ({
      from: r.from,
      name: r.name === '{value}' ? '' : r.name,
      students: r.roles.includes('student'),
      staff: r.roles.includes('staff'),
    })),
    cohortCategoryId: text(m.cohorts?.categoryId),
    parentsEnabled: m.parents?.enabled ?? false,
    parentRoleId: text(m.parents?.roleId),
    parentRelationships: (m.parents?.relationships ?? []).join(', '),
    courseTemplates: (m.courseTemplates ?? []).map((r) => courseRuleFrom(r, r.templateCourseId)),
  };
}

function courseRule(r: CourseRuleDraft): { field: string; equals?: string; matches?: string } {
  return r.test === 'matches' ? { field: r.field, matches: r.value } : { field: r.field, equals: r.value };
}

/** The rules as mapping keys; a rule left at its default is absent (off), as in the configuration file. */
export function rulesMapping(r: RulesDraft): RulesMapping {
  const out: RulesMapping = {};
  const windows = r.pauseWindows.map((w) => ({ from: w.from.trim(), until: w.until.trim() }));
  if (r.endedCourses !== 'keep' || windows.length > 0 || r.betweenTerms) {
    out.lifecycle = {
      endedCourses: r.endedCourses,
      closeAfterDays: r.endedCourses === 'keep' ? 0 : whole(r.closeAfterDays),
      ...(windows.length > 0 || r.betweenTerms
        ? {
            rolloverPause: {
              windows,
              ...(r.betweenTerms ? { betweenTerms: { daysBeforeNext: whole(r.daysBeforeNext) } } : {}),
            },
          }
        : {}),
    };
  }
  if (r.categories.length > 0)
    out.courseCategories = r.categories.map((c) => ({ ...courseRule(c), categoryId: whole(c.target) }));
  if (r.cohorts.length > 0) {
    const categoryId = r.cohortCategoryId.trim() === '' ? undefined : whole(r.cohortCategoryId);
    out.cohorts = {
      rules: r.cohorts.map((c) => ({
        from: c.from.trim(),
        name: c.name.trim() || '{value}',
        roles: [...(c.students ? ['student' as const] : []), ...(c.staff ? ['staff' as const] : [])],
      })),
      ...(categoryId !== undefined ? { categoryId } : {}),
    };
  }
  const relationships = r.parentRelationships
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (r.parentsEnabled || r.parentRoleId.trim() !== '' || relationships.length > 0) {
    out.parents = {
      enabled: r.parentsEnabled,
      ...(r.parentRoleId.trim() !== '' ? { roleId: whole(r.parentRoleId) } : {}),
      ...(relationships.length > 0 ? { relationships } : {}),
    };
  }
  if (r.courseTemplates.length > 0)
    out.courseTemplates = r.courseTemplates.map((c) => ({ ...courseRule(c), templateCourseId: whole(c.target) }));
  return out;
}

/** Field id → message, as validate.ts's FieldErrors. */
export type RuleErrors = Record<string, string>;

/**
 * The control an issue of the mapping's schema is about: its path, joined, under the editor's prefix
 * (the editors name their controls so). equals / matches are the one "value" control; an issue on a
 * whole rule goes to that control too; list items (a relationship, a role) go to their list's control.
 */
export function ruleFieldId(prefix: string, path: readonly PropertyKey[]): string {
  const parts = path.map(String);
  const [key] = parts;
  if (key === 'courseCategories' || key === 'courseTemplates') {
    if (parts.length === 2) parts.push('value');
    if (parts[2] === 'equals' || parts[2] === 'matches') parts[2] = 'value';
  }
  if (key === 'parents' && parts[1] === 'relationships') parts.length = 2;
  if (key === 'cohorts' && parts[1] === 'rules' && parts[3] === 'roles') parts.length = 4;
  if (key === 'lifecycle' && parts.length === 1) parts.push('endedCourses');
  if (key === 'parents' && parts.length === 1) parts.push('roleId');
  return [prefix, ...parts].join('-');
}

/** The checks in plain words first (numbers, empty fields), then the engine's schema for the rest. */
export function rulesErrors(prefix: string, r: RulesDraft): RuleErrors {
  const errors: RuleErrors = {};
  const id = (...path: (string | number)[]) => ruleFieldId(prefix, path);
  const days = (value: string, at: string) => {
    if (!WHOLE.test(value.trim()) || Number(value) > 365) errors[at] = 'Enter a number of days from 0 to 365.';
  };
  const positive = (value: string, at: string, what: string) => {
    if (!WHOLE.test(value.trim()) || Number(value) < 1) errors[at] = `Enter the ${what} (a whole number above 0).`;
  };
  if (r.endedCourses !== 'keep') days(r.closeAfterDays, id('lifecycle', 'closeAfterDays'));
  if (r.betweenTerms) days(r.daysBeforeNext, id('lifecycle', 'rolloverPause', 'betweenTerms', 'daysBeforeNext'));
  r.categories.forEach((c, i) => {
    if (c.value.trim() === '') errors[id('courseCategories', i, 'value')] = 'Enter the value to compare with.';
    positive(c.target, id('courseCategories', i, 'categoryId'), 'category id');
  });
  r.courseTemplates.forEach((c, i) => {
    if (c.value.trim() === '') errors[id('courseTemplates', i, 'value')] = 'Enter the value to compare with.';
    positive(c.target, id('courseTemplates', i, 'templateCourseId'), 'template course id');
  });
  r.cohorts.forEach((c, i) => {
    if (c.from.trim() === '') errors[id('cohorts', 'rules', i, 'from')] = 'Name the SMS field, for example house.';
    if (!c.students && !c.staff) errors[id('cohorts', 'rules', i, 'roles')] = 'Choose students, staff or both.';
  });
  if (r.cohorts.length > 0 && r.cohortCategoryId.trim() !== '')
    positive(r.cohortCategoryId, id('cohorts', 'categoryId'), 'category id');
  if (r.parentRoleId.trim() !== '') positive(r.parentRoleId, id('parents', 'roleId'), 'role id');
  else if (r.parentsEnabled)
    errors[id('parents', 'roleId')] = 'Enter the parent role’s id: parents get this role on each child’s profile.';
  const result = (MappingSchema as z.ZodType).safeParse(rulesMapping(r));
  if (!result.success) {
    for (const issue of result.error.issues) {
      // Plain-word checks above come first; a NaN number is theirs.
      const at = ruleFieldId(prefix, issue.path);
      errors[at] ??= issue.message;
    }
  }
  return errors;
}

/** A stored wizard draft's rules, checked field by field (anything odd falls back to the default). */
export function loadRulesDraft(raw: unknown): RulesDraft {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ...DEFAULT_RULES };
  const r = raw as Record<string, unknown>;
  const str = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
  const records = (v: unknown) =>
    Array.isArray(v)
      ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x))
      : [];
  const course = (x: Record<string, unknown>): CourseRuleDraft => ({
    field: str(x.field, 'code'),
    test: x.test === 'matches' ? 'matches' : 'equals',
    value: str(x.value),
    target: str(x.target),
  });
  return {
    endedCourses: r.endedCourses === 'close' || r.endedCourses === 'close-and-hide' ? r.endedCourses : 'keep',
    closeAfterDays: str(r.closeAfterDays, DEFAULT_RULES.closeAfterDays),
    pauseWindows: records(r.pauseWindows).map((w) => ({ from: str(w.from), until: str(w.until) })),
    betweenTerms: r.betweenTerms === true,
    daysBeforeNext: str(r.daysBeforeNext, DEFAULT_RULES.daysBeforeNext),
    categories: records(r.categories).map(course),
    cohorts: records(r.cohorts).map((c) => ({
      from: str(c.from),
      name: str(c.name),
      students: c.students !== false,
      staff: c.staff === true,
    })),
    cohortCategoryId: str(r.cohortCategoryId),
    parentsEnabled: r.parentsEnabled === true,
    parentRoleId: str(r.parentRoleId),
    parentRelationships: str(r.parentRelationships),
    courseTemplates: records(r.courseTemplates).map(course),
  };
}
