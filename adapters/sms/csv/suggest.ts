import { headerKey } from './columns';
import { CsvMappingSchema, type CsvMapping } from './mapping';
import {
  COMBINED_RULES,
  COURSE_RULES,
  DEFAULT_ENROLMENT_ROLE_VALUES,
  DEFAULT_PERSON_ROLE_VALUES,
  ENROLMENT_RULES,
  GROUP_RULES,
  PEOPLE_RULES,
  type Rule,
} from './suggest-rules';

export interface MappingSuggestion {
  /** A complete mapping, when every required field found a column (checked by CsvMappingSchema). */
  mapping?: CsvMapping;
  /** The header guessed for each target field, e.g. `{ 'person.givenName': 'First Name' }`. */
  guesses: Record<string, string>;
  /** Required target fields no header matched. */
  missing: string[];
  /** Headers no target field took, per file. */
  unused: Record<string, string[]>;
}

export interface FileHeaders {
  file: string;
  headers: readonly string[];
}

export interface SeparateFileHeaders {
  people: FileHeaders;
  enrolments: FileHeaders;
  courses?: FileHeaders;
  groups?: FileHeaders;
}

/**
 * Guesses a mapping from header rows, for the setup wizard's live preview. Given one file's headers it
 * proposes a combined mapping; given the headers of separate files, a separate one. Only a guess: the
 * wizard shows it and the user confirms or corrects each column.
 */
export function suggestMapping(headers: readonly string[], file?: string): MappingSuggestion;
export function suggestMapping(files: SeparateFileHeaders): MappingSuggestion;
export function suggestMapping(input: readonly string[] | SeparateFileHeaders, file = 'export.csv'): MappingSuggestion {
  return isHeaderList(input) ? suggestCombined(input, file) : suggestSeparate(input);
}

function isHeaderList(input: readonly string[] | SeparateFileHeaders): input is readonly string[] {
  return Array.isArray(input);
}

function suggestCombined(headers: readonly string[], file: string): MappingSuggestion {
  const { found, unused } = matchHeaders(headers, COMBINED_RULES);
  // A file with a class column but no subject/course column: the class is the course.
  if (!found['course.smsId'] && found['group.smsId']) {
    found['course.smsId'] = found['group.smsId'];
    delete found['group.smsId'];
  }
  const candidate = {
    mode: 'combined',
    file,
    person: personColumns(found),
    course: section(found, 'course'),
    ...(found['group.smsId'] ? { group: section(found, 'group') } : {}),
    ...enrolmentPart(found, 'enrolment'),
    ...(found['teacher.smsId'] ? { teacher: section(found, 'teacher') } : {}),
  };
  return finish(candidate, found, { [file]: unused }, [
    'person.smsId',
    'person.givenName',
    'person.familyName',
    'course.smsId',
  ]);
}

function suggestSeparate(files: SeparateFileHeaders): MappingSuggestion {
  const guesses: Record<string, string> = {};
  const unused: Record<string, string[]> = {};
  const take = (part: FileHeaders | undefined, rules: readonly Rule[]): Record<string, string> => {
    if (!part) return {};
    const result = matchHeaders(part.headers, rules);
    unused[part.file] = result.unused;
    Object.assign(guesses, result.found);
    return result.found;
  };
  const people = take(files.people, PEOPLE_RULES);
  const courses = take(files.courses, COURSE_RULES);
  const groups = take(files.groups, GROUP_RULES);
  const enrolments = take(files.enrolments, ENROLMENT_RULES);
  const enrolmentColumns = section(enrolments, 'enrolment');
  const enrolmentRole = enrolments['enrolment.role'];
  const candidate = {
    mode: 'separate',
    files: {
      people: files.people.file,
      enrolments: files.enrolments.file,
      ...(files.courses ? { courses: files.courses.file } : {}),
      ...(files.groups ? { groups: files.groups.file } : {}),
    },
    people: personColumns(people),
    ...(files.courses ? { courses: section(courses, 'course') } : {}),
    ...(files.groups ? { groups: section(groups, 'group') } : {}),
    enrolments: {
      ...enrolmentColumns,
      ...activeFlag(enrolments['enrolment.active']),
      ...(enrolmentRole ? { role: { column: enrolmentRole, values: DEFAULT_ENROLMENT_ROLE_VALUES } } : {}),
    },
  };
  const required = ['person.smsId', 'person.givenName', 'person.familyName'];
  required.push('enrolment.personSmsId', 'enrolment.courseSmsId');
  if (files.courses) required.push('course.smsId');
  if (files.groups) required.push('group.smsId', 'group.courseSmsId');
  return finish(candidate, guesses, unused, required);
}

/**
 * Claims headers for rules in order; within a rule the earliest key wins. Each header is used once.
 */
function matchHeaders(
  headers: readonly string[],
  rules: readonly Rule[],
): { found: Record<string, string>; unused: string[] } {
  const keys = headers.map(headerKey);
  const taken = new Set<number>();
  const found: Record<string, string> = {};
  for (const rule of rules) {
    for (const key of rule.keys) {
      const index = keys.findIndex((candidate, i) => candidate === key && !taken.has(i));
      if (index < 0) continue;
      taken.add(index);
      found[rule.target] = (headers[index] ?? '').trim();
      break;
    }
  }
  return { found, unused: headers.filter((header, i) => !taken.has(i) && header.trim() !== '') };
}

/** `{ 'course.smsId': 'Subject' }` → `{ smsId: 'Subject' }` for one prefix (simple fields only). */
function section(found: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [target, header] of Object.entries(found)) {
    const [head, field, more] = target.split('.');
    if (head === prefix && field && more === undefined && field !== 'role' && field !== 'active') out[field] = header;
  }
  return out;
}

function personColumns(found: Record<string, string>): Record<string, unknown> {
  const extra: Record<string, string> = {};
  for (const [target, header] of Object.entries(found))
    if (target.startsWith('person.extra.')) extra[target.slice('person.extra.'.length)] = header;
  const role = found['person.role'];
  return {
    ...section(found, 'person'),
    ...(role ? { role: { column: role, values: DEFAULT_PERSON_ROLE_VALUES } } : {}),
    ...activeFlag(found['person.active']),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

function enrolmentPart(found: Record<string, string>, prefix: string): { enrolment?: Record<string, unknown> } {
  const columns = { ...section(found, prefix), ...activeFlag(found[`${prefix}.active`]) };
  return Object.keys(columns).length > 0 ? { enrolment: columns } : {};
}

function activeFlag(column: string | undefined): { active?: { column: string } } {
  return column ? { active: { column } } : {};
}

function finish(
  candidate: Record<string, unknown>,
  guesses: Record<string, string>,
  unused: Record<string, string[]>,
  required: readonly string[],
): MappingSuggestion {
  const missing = required.filter((target) => !guesses[target]);
  const parsed = missing.length === 0 ? CsvMappingSchema.safeParse(candidate) : undefined;
  return { ...(parsed?.success ? { mapping: parsed.data } : {}), guesses, missing, unused };
}
