import { describe, expect, it } from 'vitest';
import { MappingSchema } from './connection';
import {
  counterOf,
  foldDiacritics,
  parseTemplate,
  personFieldsOf,
  personTemplateValues,
  renderTemplate,
  unknownPersonFields,
  type Template,
} from './template';

const aroha = personTemplateValues({
  smsId: 'S1',
  role: 'student',
  givenName: 'Ānaru',
  familyName: "O'Brien-Ngātai",
  email: 'anaru@home.nz',
  extra: { yearLevel: '10', house: 'Kauri' },
});

function parsed(source: string, kind: 'person' | 'course' = 'person'): Template {
  const p = parseTemplate(source, kind);
  if (!p.ok) throw new Error(p.error);
  return p.template;
}

function render(source: string): string {
  const r = renderTemplate(parsed(source), aroha);
  if (!r.ok) throw new Error(`missing ${r.missing}`);
  return `${r.before}<n>${r.after}`;
}

describe('name templates', () => {
  it('fold macrons and other diacritics to plain letters', () => {
    expect(foldDiacritics('Ānaru Ngātai')).toBe('Anaru Ngatai');
    expect(foldDiacritics('Chloé Müller ßøæ')).toBe('Chloe Muller ssoae');
  });

  it('render fields with modifiers applied left to right, the suffix {n} split out', () => {
    expect(render('{first}.{last}{n}@school.nz')).toBe("Ānaru.O'Brien-Ngātai<n>@school.nz");
    expect(render('{first|fold|lower}.{last|alnum|lower|max:6}{n}')).toBe('anaru.obrien<n>');
    expect(render('{first|initial|upper}{yearLevel}{house|max:3}')).toBe('Ā10Kau<n>');
  });

  it('a field the record has no value for is missing, not left out', () => {
    const r = renderTemplate(parsed('{first}{nsn}'), aroha);
    expect(r).toEqual({ ok: false, missing: 'nsn' });
  });

  it('find the suffix an applied value was made with, and only a real suffix', () => {
    const r = { before: 'anna.smith', after: '@school.nz' };
    expect(counterOf(r, 'anna.smith@school.nz')).toBe(1);
    expect(counterOf(r, 'anna.smith2@school.nz')).toBe(2);
    expect(counterOf(r, 'anna.smith12@school.nz')).toBe(12);
    expect(counterOf(r, 'anna.smith1@school.nz')).toBeUndefined();
    expect(counterOf(r, 'anna.smithers@school.nz')).toBeUndefined();
    expect(counterOf(r, 'anna.smith02@school.nz')).toBeUndefined();
  });

  it.each([
    ['{first', '"{" at position 1 is not closed'],
    ['first}', '"}" at position 6 closes no "{"'],
    [
      '{first|shout}',
      'Unknown modifier "shout" in {first}. The modifiers are: lower, upper, fold, alnum, initial, max:N.',
    ],
    ['{first|max:0}', 'Unknown modifier "max:0"'],
    ['{n}{first}{n}', '{n} may appear only once'],
    ['school.nz', 'names no field'],
    [
      '{first name}',
      '"{first name}" is not a field name. The fields are: first, last, smsId, username, email, role, n',
    ],
  ])('refuse %s with a clear error', (source, error) => {
    const p = parseTemplate(source, 'person');
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error).toContain(error);
  });

  it('course templates know only course fields and have no suffix', () => {
    expect(parseTemplate('{code} {name} {year}', 'course').ok).toBe(true);
    expect(parseTemplate('{yearLevel}{code}', 'course')).toEqual({
      ok: false,
      error: 'Unknown field "{yearLevel}". The fields are: code, name, smsId, startDate, endDate, year, term, subject.',
    });
    expect(parseTemplate('{code}{n}', 'course')).toMatchObject({ ok: false });
  });

  it('an SMS field no record has is named with the fields the snapshot does have', () => {
    const available = personFieldsOf([{ extra: { yearLevel: '9' } }, { extra: { house: 'Rimu', yearLevel: '10' } }]);
    expect(available).toEqual(['first', 'last', 'smsId', 'username', 'email', 'role', 'house', 'yearLevel']);
    expect(unknownPersonFields(parsed('{first}{yearlevel}'), available)).toEqual({
      fields: ['yearlevel'],
      message:
        'The template "{first}{yearlevel}" names {yearlevel}, which the SMS does not give. The fields are: first, last, smsId, username, email, role, house, yearLevel, n.',
    });
    expect(unknownPersonFields(parsed('{first}{yearLevel}'), available)).toBeUndefined();
  });

  it('are checked where a mapping is parsed, the error on the field', () => {
    const r = MappingSchema.safeParse({ usernameTemplate: '{first}.{lats', courseShortnameTemplate: '{house}' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['usernameTemplate', '"{" at position 9 is not closed with "}".'],
      [
        'courseShortnameTemplate',
        'Unknown field "{house}". The fields are: code, name, smsId, startDate, endDate, year, term, subject.',
      ],
    ]);
    expect(MappingSchema.parse({ usernameTemplate: ' {first}.{last}{n} ' }).usernameTemplate).toBe('{first}.{last}{n}');
    expect(MappingSchema.parse({}).usernameTemplate).toBeUndefined();
  });
});
