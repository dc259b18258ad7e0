/**
 * Name templates: how a connection's mapping makes usernames, emails and course names from SMS fields,
 * e.g. `{first|initial}{last|max:8}{n}@school.nz` or `{code} {name}`. Parsed once (here, so the mapping's
 * zod schema, the planner and the wizard read a template the same way), rendered per record.
 *
 * Syntax: literal text, and `{field}` or `{field|modifier|…}`. Modifiers apply left to right to that
 * field's value: `lower`, `upper`, `fold` (ā → a, é → e, ß → ss), `alnum` (letters and digits only, after
 * folding: "O'Brien-Lee" → "OBrienLee"), `initial` (first character), `max:N` (first N characters).
 * `{n}` (person templates only, at most once) is the collision suffix: empty for the first holder of a
 * name, then 2, 3, … (the planner decides it once per person and keeps it).
 *
 * Person fields: first, last, smsId, username, email, role, and any key of the SMS's `extra` (yearLevel,
 * house, nsn, usi, …, which differ per SMS, so they are checked against the snapshot, not here).
 * Course fields: code, name, smsId, startDate, endDate, year (of the start date), term, subject.
 */

export type TemplateKind = 'person' | 'course';

export const PERSON_TEMPLATE_FIELDS = ['first', 'last', 'smsId', 'username', 'email', 'role'] as const;
export const COURSE_TEMPLATE_FIELDS = [
  'code',
  'name',
  'smsId',
  'startDate',
  'endDate',
  'year',
  'term',
  'subject',
] as const;
export const TEMPLATE_MODIFIERS = ['lower', 'upper', 'fold', 'alnum', 'initial', 'max:N'] as const;

type Modifier =
  | { kind: 'lower' }
  | { kind: 'upper' }
  | { kind: 'fold' }
  | { kind: 'alnum' }
  | { kind: 'initial' }
  | { kind: 'max'; n: number };

type Part = { kind: 'text'; text: string } | { kind: 'field'; name: string; modifiers: Modifier[] } | { kind: 'n' };

export interface Template {
  source: string;
  kind: TemplateKind;
  parts: readonly Part[];
  /** The fields it names (without `n`), in order of first use. */
  fields: readonly string[];
  /** Whether it has the `{n}` collision suffix. */
  hasCounter: boolean;
}

export type TemplateParse = { ok: true; template: Template } | { ok: false; error: string };

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function fieldList(kind: TemplateKind): string {
  return kind === 'person'
    ? `${PERSON_TEMPLATE_FIELDS.join(', ')}, n, or a field the SMS gives (such as yearLevel, house, nsn)`
    : COURSE_TEMPLATE_FIELDS.join(', ');
}

function parseModifier(raw: string): Modifier | undefined {
  const m = raw.trim();
  if (m === 'lower' || m === 'upper' || m === 'fold' || m === 'alnum' || m === 'initial') return { kind: m };
  const max = /^max:(\d{1,4})$/.exec(m);
  if (max && Number(max[1]) > 0) return { kind: 'max', n: Number(max[1]) };
  return undefined;
}

/** Parses a template, or says in one sentence what is wrong with it (naming the fields that exist). */
export function parseTemplate(source: string, kind: TemplateKind): TemplateParse {
  const parts: Part[] = [];
  const fields: string[] = [];
  let hasCounter = false;
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{', i);
    const close = source.indexOf('}', i);
    if (close !== -1 && (open === -1 || close < open)) {
      return { ok: false, error: `"}" at position ${close + 1} closes no "{".` };
    }
    if (open === -1) {
      parts.push({ kind: 'text', text: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ kind: 'text', text: source.slice(i, open) });
    const end = source.indexOf('}', open);
    if (end === -1) return { ok: false, error: `"{" at position ${open + 1} is not closed with "}".` };
    const [rawName = '', ...rawModifiers] = source.slice(open + 1, end).split('|');
    const name = rawName.trim();
    if (name === 'n') {
      if (kind !== 'person')
        return { ok: false, error: '{n} (the collision suffix) is for usernames and emails only.' };
      if (hasCounter) return { ok: false, error: '{n} may appear only once.' };
      if (rawModifiers.length > 0) return { ok: false, error: '{n} takes no modifiers.' };
      hasCounter = true;
      parts.push({ kind: 'n' });
    } else {
      if (!FIELD_NAME.test(name)) {
        return { ok: false, error: `"{${name}}" is not a field name. The fields are: ${fieldList(kind)}.` };
      }
      if (kind === 'course' && !(COURSE_TEMPLATE_FIELDS as readonly string[]).includes(name)) {
        return { ok: false, error: `Unknown field "{${name}}". The fields are: ${fieldList(kind)}.` };
      }
      const modifiers: Modifier[] = [];
      for (const raw of rawModifiers) {
        const m = parseModifier(raw);
        if (!m) {
          return {
            ok: false,
            error: `Unknown modifier "${raw.trim()}" in {${name}}. The modifiers are: ${TEMPLATE_MODIFIERS.join(', ')}.`,
          };
        }
        modifiers.push(m);
      }
      if (!fields.includes(name)) fields.push(name);
      parts.push({ kind: 'field', name, modifiers });
    }
    i = end + 1;
  }
  if (fields.length === 0)
    return { ok: false, error: `The template names no field. The fields are: ${fieldList(kind)}.` };
  return { ok: true, template: { source, kind, parts, fields, hasCounter } };
}

const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
};

/** ā → a, é → e, ß → ss: letters an LMS username may not hold, as their plain Latin form. */
export function foldDiacritics(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßæÆœŒøØđĐłŁþÞı]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .normalize('NFC');
}

function applyModifier(value: string, m: Modifier): string {
  switch (m.kind) {
    case 'lower':
      return value.toLowerCase();
    case 'upper':
      return value.toUpperCase();
    case 'fold':
      return foldDiacritics(value);
    case 'alnum':
      return foldDiacritics(value).replace(/[^\p{L}\p{N}]/gu, '');
    case 'initial':
      return [...value][0] ?? '';
    case 'max':
      return [...value].slice(0, m.n).join('');
  }
}

/** What the template gives one record: the text before and after the `{n}` suffix (all of it in `before` without one). */
export type TemplateRender = { ok: true; before: string; after: string } | { ok: false; missing: string };

/**
 * Renders a template with one record's field values. A field with no (or only blank) value is `missing`:
 * a username made without the year level would be wrong, not shorter.
 */
export function renderTemplate(t: Template, values: (field: string) => string | undefined): TemplateRender {
  let before = '';
  let after = '';
  let seenCounter = false;
  for (const part of t.parts) {
    let piece: string;
    if (part.kind === 'n') {
      seenCounter = true;
      continue;
    } else if (part.kind === 'text') {
      piece = part.text;
    } else {
      const raw = values(part.name)?.trim();
      if (!raw) return { ok: false, missing: part.name };
      piece = part.modifiers.reduce(applyModifier, raw);
    }
    if (seenCounter) after += piece;
    else before += piece;
  }
  return { ok: true, before, after };
}

/** The suffix `{n}` stands for: none for the first holder, then 2, 3, … */
export function counterText(n: number): string {
  return n <= 1 ? '' : String(n);
}

/** The n a rendered value was made with (1 for no suffix), or undefined when the value is not this render's. */
export function counterOf(render: { before: string; after: string }, value: string): number | undefined {
  if (value.length < render.before.length + render.after.length) return undefined;
  if (!value.startsWith(render.before) || !value.endsWith(render.after)) return undefined;
  const middle = value.slice(render.before.length, value.length - render.after.length);
  if (middle === '') return 1;
  return /^(?:[2-9]|[1-9]\d+)$/.test(middle) ? Number(middle) : undefined;
}

/** A person's template fields: the built-in ones, then the SMS's `extra` keys (a built-in name wins). */
export function personTemplateValues(p: {
  smsId: string;
  role: string;
  givenName: string;
  familyName: string;
  email?: string | undefined;
  username?: string | undefined;
  extra?: Record<string, string> | undefined;
}): (field: string) => string | undefined {
  const builtIn: Record<(typeof PERSON_TEMPLATE_FIELDS)[number], string | undefined> = {
    first: p.givenName,
    last: p.familyName,
    smsId: p.smsId,
    username: p.username,
    email: p.email,
    role: p.role,
  };
  return (field) =>
    Object.hasOwn(builtIn, field)
      ? builtIn[field as keyof typeof builtIn]
      : p.extra && Object.hasOwn(p.extra, field)
        ? p.extra[field]
        : undefined;
}

export function courseTemplateValues(c: {
  smsId: string;
  code: string;
  name: string;
  startDate?: string | undefined;
  endDate?: string | undefined;
  term?: string | undefined;
  subject?: string | undefined;
}): (field: string) => string | undefined {
  const values: Record<(typeof COURSE_TEMPLATE_FIELDS)[number], string | undefined> = {
    code: c.code,
    name: c.name,
    smsId: c.smsId,
    startDate: c.startDate,
    endDate: c.endDate,
    year: c.startDate?.slice(0, 4),
    term: c.term,
    subject: c.subject,
  };
  return (field) => (Object.hasOwn(values, field) ? values[field as keyof typeof values] : undefined);
}

/** The person fields a snapshot offers: the built-in ones and every `extra` key any person has. */
export function personFieldsOf(people: readonly { extra?: Record<string, string> | undefined }[]): string[] {
  const extra = new Set<string>();
  for (const p of people) for (const k in p.extra ?? {}) extra.add(k);
  return [
    ...PERSON_TEMPLATE_FIELDS,
    ...[...extra].filter((k) => !(PERSON_TEMPLATE_FIELDS as readonly string[]).includes(k)).sort(),
  ];
}

/**
 * The fields a person template names that no record of the snapshot has, with a sentence listing those
 * that exist (for the preview and the wizard); undefined when every field exists somewhere.
 */
export function unknownPersonFields(
  t: Template,
  available: readonly string[],
): { fields: string[]; message: string } | undefined {
  const fields = t.fields.filter((f) => !available.includes(f));
  if (fields.length === 0) return undefined;
  const named = fields.map((f) => `{${f}}`).join(', ');
  return {
    fields,
    message: `The template "${t.source}" names ${named}, which the SMS does not give. The fields are: ${available.join(', ')}, n.`,
  };
}
