import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING, newLmsDraft } from './draft';
import { EXAMPLE_PEOPLE, previewPerson } from './mapping-preview';
import { buildLmsConnection, mappingErrors } from './validate';

describe("the wizard's name templates", () => {
  it('the live example applies the username and email templates (folded, lower-cased, {n} empty)', () => {
    const m = {
      ...DEFAULT_MAPPING,
      usernameTemplate: '{first}.{last|alnum}{n}',
      emailTemplate: '{first|initial}{last}@school.nz',
    };
    expect(EXAMPLE_PEOPLE.map((p) => previewPerson(p, m)).map((r) => [r.username, r.email, r.problem])).toEqual([
      ['aroha.ngata', 'angata@school.nz', undefined],
      ['liam.obrien', 'lo’brien@school.nz', undefined],
      ['mere.tane', 'mtane@school.nz', undefined],
    ]);
    const missing = previewPerson(EXAMPLE_PEOPLE[0]!, { ...m, usernameTemplate: '{yearLevel}{first}' });
    expect(missing.problem).toBe('No yearLevel in the SMS: not synced until one is entered, or change the template.');
  });

  it('a template that does not parse is an error on its own field, and a valid one is saved', () => {
    const lms = { ...newLmsDraft(), id: 'moodle-main', name: 'Moodle', url: 'https://moodle.example.org' };
    lms.mapping = { ...lms.mapping, usernameTemplate: '{first', courseShortnameTemplate: '{house}' };
    const errors = mappingErrors(lms);
    expect(errors[`mapping-${lms.key}-username-template`]).toBe('"{" at position 1 is not closed with "}".');
    expect(errors[`mapping-${lms.key}-course-shortname-template`]).toBe(
      'Unknown field "{house}". The fields are: code, name, smsId, startDate, endDate, year, term, subject.',
    );
    lms.mapping = { ...lms.mapping, usernameTemplate: ' {first}.{last}{n} ', courseShortnameTemplate: '' };
    expect(mappingErrors(lms)).toEqual({});
    const saved = buildLmsConnection(lms).mapping;
    expect(saved.usernameTemplate).toBe('{first}.{last}{n}');
    expect(saved.courseShortnameTemplate).toBeUndefined();
  });
});
