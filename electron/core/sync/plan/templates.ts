import {
  counterOf,
  counterText,
  courseTemplateValues,
  foldDiacritics,
  parseTemplate,
  personFieldsOf,
  personTemplateValues,
  renderTemplate,
  unknownPersonFields,
  type Course,
  type Mapping,
  type Person,
  type Template,
  type TemplateKind,
} from '../../model';
import type { AppliedState } from './applied-state';
import type { PlanningError } from './operations';
import { describePerson } from '../../model';

/**
 * The planner's side of name templates (model/template.ts has the syntax): usernames and emails with the
 * collision suffix `{n}`, and course names.
 *
 * The collision rule, decided once and kept: a person whose applied username (and email, where its
 * template has `{n}`) is still what the template gives them with *some* suffix keeps it, whatever anyone
 * else does — so a second Anna Smith arriving, or the first leaving, renames nobody. The values of people
 * applied before who are gone (their LMS user remains, suspended or not) stay taken, so a person who
 * leaves and comes back finds their username waiting. Everyone else (newcomers, and people whose own
 * fields changed so the template gives them another name) takes the lowest free suffix, in SMS-key order
 * so a dry run and the apply that follows agree. A person's username changes only when their own fields
 * make the template give something else (a surname change), as a changed SMS username does today.
 */

export type PersonTemplateField = 'username' | 'email';

/** Parsed templates by kind and source: a mapping has a handful, asked for once per course and per run. */
const compiled = new Map<string, Template | { error: string }>();

/** A template for one field, parsed; or why it cannot be used (a mapping built without MappingSchema). */
function compile(source: string | undefined, kind: TemplateKind): Template | { error: string } | undefined {
  if (source === undefined) return undefined;
  const key = `${kind}\u0000${source}`;
  let template = compiled.get(key);
  if (!template) {
    const parsed = parseTemplate(source, kind);
    template = parsed.ok ? parsed.template : { error: parsed.error };
    compiled.set(key, template);
  }
  return template;
}

const MAPPING_KEYS = {
  username: 'usernameTemplate',
  email: 'emailTemplate',
  fullname: 'courseFullnameTemplate',
  shortname: 'courseShortnameTemplate',
} as const;

/** Username and email templates give LMS identifiers: folded (ā → a) and lower-cased, as Moodle keeps them. */
function normalise(value: string): string {
  return foldDiacritics(value).toLowerCase();
}

interface Rendered {
  before: string;
  after: string;
  counter: boolean;
}

function valueOf(r: Rendered, n: number): string {
  return r.counter ? `${r.before}${counterText(n)}${r.after}` : r.before;
}

/** The n an applied value was made with under this render, or undefined when it no longer fits. */
function fits(r: Rendered, value: string): number | undefined {
  if (!r.counter) return r.before === value ? 1 : undefined;
  return counterOf(r, value);
}

export interface TemplatedPeople {
  /** Per SMS key: the templated values (only the fields that have a template). */
  names: Map<string, Partial<Record<PersonTemplateField, string>>>;
  /** People the templates could not name (a missing field, a template that does not parse). */
  errors: PlanningError[];
  /**
   * What the templates give `key` with the suffix of `applied` (the values of someone else, e.g. the old
   * key of a re-keyed person), when those values fit `key`'s render on every field with `{n}`.
   */
  reclaim(
    key: string,
    applied: Partial<Record<PersonTemplateField, string>>,
  ): Partial<Record<PersonTemplateField, string>> | undefined;
}

/**
 * Renders the connection's username/email templates for the active people, with suffixes decided as
 * above. Undefined when the mapping has neither template (usernameFrom/emailFrom apply, as before).
 */
export function templatedPeople(
  active: ReadonlyMap<string, Person>,
  mapping: Mapping,
  applied: AppliedState,
): TemplatedPeople | undefined {
  const templates: Partial<Record<PersonTemplateField, Template>> = {};
  const errors: PlanningError[] = [];
  const broken: string[] = [];
  for (const field of ['username', 'email'] as const) {
    const t = compile(mapping[MAPPING_KEYS[field]], 'person');
    if (t === undefined) continue;
    if ('error' in t) broken.push(`${MAPPING_KEYS[field]}: ${t.error}`);
    else templates[field] = t;
  }
  const fields = Object.keys(templates) as PersonTemplateField[];
  if (fields.length === 0 && broken.length === 0) return undefined;

  const available = personFieldsOf([...active.values()]);
  const unknown = new Map<PersonTemplateField, string>();
  for (const f of fields) {
    const u = unknownPersonFields(templates[f]!, available);
    if (u) unknown.set(f, u.message);
  }

  const renders = new Map<string, Partial<Record<PersonTemplateField, Rendered>>>();
  for (const [key, p] of active) {
    const err = (field: string, message: string, fix: string) =>
      errors.push({ recordKind: 'person', recordKey: key, field, message, fix });
    const who = describePerson(p);
    if (broken.length > 0) {
      err(
        'username',
        `The connection's template cannot be read: ${broken.join('; ')}`,
        'Correct the template in the mapping.',
      );
      continue;
    }
    const values = personTemplateValues(p);
    const mine: Partial<Record<PersonTemplateField, Rendered>> = {};
    let failed = false;
    for (const f of fields) {
      const t = templates[f]!;
      const r = renderTemplate(t, values);
      if (!r.ok) {
        const notAnywhere = unknown.get(f);
        err(
          f,
          notAnywhere ?? `${who} has no ${r.missing} in the SMS, and the ${f} template "${t.source}" uses it.`,
          notAnywhere
            ? `Use only fields the SMS gives in the connection's ${f} template.`
            : `Enter the ${r.missing} for this person in the SMS, or change the ${f} template.`,
        );
        failed = true;
        break;
      }
      mine[f] = { before: normalise(r.before), after: normalise(r.after), counter: t.hasCounter };
    }
    if (!failed) renders.set(key, mine);
  }

  const counterFields = fields.filter((f) => templates[f]!.hasCounter);
  const names = new Map<string, Partial<Record<PersonTemplateField, string>>>();
  const nameWith = (key: string, n: number) => {
    const r = renders.get(key)!;
    return Object.fromEntries(fields.map((f) => [f, valueOf(r[f]!, n)])) as Partial<
      Record<PersonTemplateField, string>
    >;
  };
  /** The one n that gives `key` all of `values` (on the fields with `{n}`), or undefined. */
  const fitting = (key: string, values: Partial<Record<PersonTemplateField, string>>): number | undefined => {
    const r = renders.get(key);
    if (!r) return undefined;
    let n: number | undefined;
    for (const f of counterFields) {
      const v = values[f];
      const k = v === undefined ? undefined : fits(r[f]!, v.toLowerCase());
      if (k === undefined || (n !== undefined && n !== k)) return undefined;
      n = k;
    }
    return n;
  };

  if (counterFields.length === 0) {
    for (const key of renders.keys()) names.set(key, nameWith(key, 1));
  } else {
    const taken = Object.fromEntries(counterFields.map((f) => [f, new Set<string>()])) as Record<
      PersonTemplateField,
      Set<string>
    >;
    const claim = (values: Partial<Record<PersonTemplateField, string>>) => {
      for (const f of counterFields) if (values[f]) taken[f].add(values[f].toLowerCase());
    };
    // Held: gone people's LMS users, and people the templates could not name this time (they keep theirs).
    for (const key in applied.people) if (!renders.has(key)) claim(applied.people[key]!);
    const fresh: string[] = [];
    for (const key of renders.keys()) {
      const before = applied.people[key];
      const n = before ? fitting(key, before) : undefined;
      if (n === undefined) {
        fresh.push(key);
        continue;
      }
      const kept = nameWith(key, n);
      names.set(key, kept);
      claim(kept);
    }
    fresh.sort();
    for (const key of fresh) {
      let n = 1;
      let candidate = nameWith(key, n);
      while (counterFields.some((f) => taken[f].has(candidate[f]!))) candidate = nameWith(key, ++n);
      names.set(key, candidate);
      claim(candidate);
    }
  }
  return {
    names,
    errors,
    reclaim: (key, values) => {
      const n = counterFields.length > 0 ? fitting(key, values) : undefined;
      return n === undefined ? undefined : nameWith(key, n);
    },
  };
}

export interface CourseNames {
  fullname: string;
  shortname: string;
}

/**
 * A course's LMS full and short names: the mapping's templates, or (without them) the SMS name (the code
 * when it has none) and the code. Course names keep their macrons ("Te Reo Māori"); `fold` and `lower`
 * are there when a school wants otherwise.
 */
export function courseNames(
  c: Course,
  mapping: Mapping,
): { ok: true; names: CourseNames } | { ok: false; error: PlanningError } {
  const names: CourseNames = { fullname: c.name.trim() || c.code, shortname: c.code };
  for (const [field, limit] of [
    ['fullname', 254],
    ['shortname', 255],
  ] as const) {
    const key = MAPPING_KEYS[field];
    const t = compile(mapping[key], 'course');
    if (t === undefined) continue;
    const error = (message: string, fix: string): { ok: false; error: PlanningError } => ({
      ok: false,
      error: { recordKind: 'course', recordKey: c.smsId, course: c.code, field, message, fix },
    });
    if ('error' in t) return error(`The ${key} cannot be read: ${t.error}`, 'Correct the template in the mapping.');
    const r = renderTemplate(t, courseTemplateValues(c));
    if (!r.ok) {
      return error(
        `${c.code} (${c.name}) has no ${r.missing} in the SMS, and the course ${field} template "${t.source}" uses it.`,
        `Enter the ${r.missing} for this course in the SMS, or change the ${key}.`,
      );
    }
    const value = r.before.trim();
    if (value.length > limit) {
      return error(
        `The course ${field} "${value}" the template makes for ${c.code} is ${value.length} characters long (at most ${limit}).`,
        `Shorten it with a max:N modifier in the ${key}, for example {name|max:100}.`,
      );
    }
    names[field] = value;
  }
  return { ok: true, names };
}
