import { describe, expect, it } from 'vitest';
import { LmsConnectionSchema, MappingSchema } from '../../../../../electron/core/model';
import { DEFAULT_MAPPING, newLmsDraft } from '../draft';
import { buildLmsConnection, mappingErrors, mergeMapping } from '../validate';
import { describeBecause } from './describe-because';
import { describeRules } from './describe-rules';
import {
  DEFAULT_RULES,
  loadRulesDraft,
  rulesDraftFrom,
  rulesErrors,
  rulesMapping,
  type RulesDraft,
} from './rules-draft';

const every = {
  lifecycle: {
    endedCourses: 'close-and-hide' as const,
    closeAfterDays: 14,
    rolloverPause: { windows: [{ from: '2026-12-10', until: '2027-02-01' }], betweenTerms: { daysBeforeNext: 5 } },
  },
  courseCategories: [
    { field: 'year', equals: '2026', categoryId: 12 },
    { field: 'code', matches: '^MAT', categoryId: 4 },
  ],
  parents: { enabled: true, roleId: 9, relationships: ['parent', 'guardian'] },
  cohorts: {
    rules: [
      { from: 'yearLevel', name: 'Year {value}', roles: ['student' as const] },
      { from: 'house', name: '{value}', roles: ['student' as const, 'staff' as const] },
    ],
    categoryId: 3,
  },
  courseTemplates: [{ field: 'subject', equals: 'Science', templateCourseId: 77 }],
};

const prefix = 'p';
const rules = (patch: Partial<RulesDraft>): RulesDraft => ({ ...DEFAULT_RULES, ...patch });

describe('provisioning rules: draft ↔ mapping', () => {
  it('turns every rule of a saved mapping into the editors and back unchanged', () => {
    const draft = rulesDraftFrom(every);
    expect(draft.categories[1]).toEqual({ field: 'code', test: 'matches', value: '^MAT', target: '4' });
    // "{value}" is the default name: shown as an empty field.
    expect(draft.cohorts[1]).toEqual({ from: 'house', name: '', students: true, staff: true });
    expect(draft.parentRelationships).toBe('parent, guardian');
    expect(rulesMapping(draft)).toEqual(every);
    // And what the wizard keeps in localStorage reads back the same.
    expect(loadRulesDraft(JSON.parse(JSON.stringify(draft)))).toEqual(draft);
  });

  it('leaves a rule at its default out of the mapping (off, as in the configuration file)', () => {
    expect(rulesMapping(DEFAULT_RULES)).toEqual({});
    expect(rulesMapping(rules({ endedCourses: 'close', closeAfterDays: '0' }))).toEqual({
      lifecycle: { endedCourses: 'close', closeAfterDays: 0 },
    });
    expect(rulesMapping(rules({ betweenTerms: true, daysBeforeNext: '3' }))).toEqual({
      lifecycle: {
        endedCourses: 'keep',
        closeAfterDays: 0,
        rolloverPause: { windows: [], betweenTerms: { daysBeforeNext: 3 } },
      },
    });
    expect(loadRulesDraft('nonsense')).toEqual(DEFAULT_RULES);
    expect(loadRulesDraft({ endedCourses: 'explode', categories: [null, { test: 'matches' }] })).toEqual({
      ...DEFAULT_RULES,
      categories: [{ field: 'code', test: 'matches', value: '', target: '' }],
    });
  });

  it("puts the schema's own messages on the control each is about, and plain words for numbers and empty fields", () => {
    const errors = rulesErrors(
      prefix,
      rules({
        endedCourses: 'close',
        closeAfterDays: 'soon',
        pauseWindows: [
          { from: '2027-02-30', until: '2027-03-01' },
          { from: '2027-02-01', until: '2027-01-01' },
        ],
        categories: [
          { field: 'code', test: 'matches', value: '(MAT', target: '4' },
          { field: 'year', test: 'equals', value: '', target: '' },
        ],
        cohorts: [{ from: '', name: '', students: false, staff: false }],
        parentsEnabled: true,
      }),
    );
    expect(errors).toEqual({
      'p-lifecycle-closeAfterDays': 'Enter a number of days from 0 to 365.',
      'p-lifecycle-rolloverPause-windows-0-from': 'This day does not exist in the calendar',
      'p-lifecycle-rolloverPause-windows-1-until': expect.stringContaining('"until" must be a later day than "from"'),
      'p-courseCategories-0-value': expect.stringContaining('"(MAT" is not a valid regular expression'),
      'p-courseCategories-1-value': 'Enter the value to compare with.',
      'p-courseCategories-1-categoryId': 'Enter the category id (a whole number above 0).',
      'p-cohorts-rules-0-from': 'Name the SMS field, for example house.',
      'p-cohorts-rules-0-roles': 'Choose students, staff or both.',
      'p-parents-roleId': 'Enter the parent role’s id: parents get this role on each child’s profile.',
    });
    expect(rulesErrors(prefix, rulesDraftFrom(every))).toEqual({});
  });

  it('the wizard checks the rules with the rest of the mapping and saves them in the connection', () => {
    const lms = {
      ...newLmsDraft(),
      id: 'moodle-main',
      name: 'Moodle',
      url: 'https://moodle.example.org',
      mapping: {
        ...DEFAULT_MAPPING,
        rules: rules({ categories: [{ field: 'code', test: 'equals', value: '', target: '2' }] }),
      },
    };
    expect(mappingErrors(lms)).toEqual({
      [`mapping-${lms.key}-courseCategories-0-value`]: 'Enter the value to compare with.',
    });
    const fixed = { ...lms, mapping: { ...lms.mapping, rules: rulesDraftFrom(every) } };
    expect(mappingErrors(fixed)).toEqual({});
    const saved = buildLmsConnection(fixed);
    expect(saved.mapping.courseCategories).toEqual(every.courseCategories);
    expect(saved.mapping.lifecycle).toEqual(every.lifecycle);
    expect(saved.mapping.parents).toEqual(every.parents);
    expect(saved.mapping.cohorts).toEqual(every.cohorts);
    expect(saved.mapping.courseTemplates).toEqual(every.courseTemplates);
  });

  it('a re-save removes a rule removed in the editor and keeps what the editors do not ask about', () => {
    const existing = LmsConnectionSchema.parse({
      id: 'moodle-main',
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle',
      url: 'https://moodle.example.org',
      mapping: { ...every, linkExistingAccounts: true, hiddenTotals: 'recompute', usernameTemplate: '{first}{n}' },
    });
    const draft = { ...DEFAULT_MAPPING, rules: rules({ endedCourses: 'close', closeAfterDays: '2' }) };
    const merged = MappingSchema.parse(mergeMapping(existing.mapping, draft));
    expect(merged.lifecycle).toEqual({ endedCourses: 'close', closeAfterDays: 2 });
    expect(merged.courseCategories).toBeUndefined();
    expect(merged.parents).toBeUndefined();
    expect(merged.cohorts).toBeUndefined();
    expect(merged.courseTemplates).toBeUndefined();
    expect(merged.usernameTemplate).toBeUndefined();
    expect(merged.linkExistingAccounts).toBe(true);
    expect(merged.hiddenTotals).toBe('recompute');
  });

  it("says the engine's reasons without the configuration file's keys", () => {
    expect(describeBecause('newCourseCategoryId (no rule matched)')).toBe('no rule fits: the category for new courses');
    expect(describeBecause('rule 2: year equals "2026"')).toBe('rule 2: year (of the start date) is “2026”');
    expect(describeBecause('rule 1: code matches /^MAT/')).toBe('rule 1: course code matches the pattern ^MAT');
  });
});

describe('the review step', () => {
  it('names the rules that are on, in a few words', () => {
    expect(describeRules(DEFAULT_RULES)).toBe('');
    expect(describeRules(rulesDraftFrom(every))).toBe(
      'ended courses closed and hidden, rollover pause, 2 category rules, 1 template rule, 2 cohort rules, parent accounts',
    );
  });
});
