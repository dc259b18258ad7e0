import { describe, expect, it } from 'vitest';
import { generateSchool } from '../../testing/sms-fixtures/school';
import { combinedCsv } from '../../testing/sms-fixtures/csv';
import { importFiles } from '../../testing/sms-support/csv';
import { suggestMapping } from './suggest';

describe('suggestMapping', () => {
  it('guesses a complete combined mapping from common NZ headers', () => {
    const headers = ['Student ID', 'First Name', 'Surname', 'Email', 'Year Level', 'Subject', 'Class', 'Teacher'];
    const suggestion = suggestMapping(headers, 'roll.csv');
    expect(suggestion.missing).toEqual([]);
    expect(suggestion.mapping).toMatchObject({
      mode: 'combined',
      file: 'roll.csv',
      person: { smsId: 'Student ID', givenName: 'First Name', familyName: 'Surname', email: 'Email' },
      course: { smsId: 'Subject' },
      group: { smsId: 'Class' },
      teacher: { smsId: 'Teacher' },
    });
    expect(suggestion.mapping?.mode === 'combined' && suggestion.mapping.person.extra).toEqual({
      yearLevel: 'Year Level',
    });
  });

  it('prefers the specific header: Student ID over ID, teacher names over the student’s', () => {
    const headers = ['ID', 'Student ID', 'Teacher Surname', 'Last Name', 'Given Name', 'Class Code', 'Subject Name'];
    const { guesses } = suggestMapping(headers);
    expect(guesses).toMatchObject({
      'person.smsId': 'Student ID',
      'person.familyName': 'Last Name',
      'person.givenName': 'Given Name',
      'teacher.familyName': 'Teacher Surname',
      'course.name': 'Subject Name',
      // No subject code column: the class is the course.
      'course.smsId': 'Class Code',
    });
  });

  it('reports what is missing and what is unused', () => {
    const suggestion = suggestMapping(['Family Name', 'Favourite Colour']);
    expect(suggestion.mapping).toBeUndefined();
    expect(suggestion.missing).toEqual(['person.smsId', 'person.givenName', 'course.smsId']);
    expect(suggestion.unused).toEqual({ 'export.csv': ['Favourite Colour'] });
  });

  it('guesses a separate-files mapping, with a role column and default values', () => {
    const suggestion = suggestMapping({
      people: { file: 'students.csv', headers: ['ID', 'First Name', 'Last Name', 'Type', 'Status'] },
      courses: { file: 'subjects.csv', headers: ['Code', 'Name'] },
      enrolments: { file: 'enrol.csv', headers: ['Student ID', 'Subject', 'Class', 'Start Date'] },
    });
    expect(suggestion.missing).toEqual([]);
    expect(suggestion.mapping).toMatchObject({
      mode: 'separate',
      files: { people: 'students.csv', courses: 'subjects.csv', enrolments: 'enrol.csv' },
      people: { smsId: 'ID', role: { column: 'Type' }, active: { column: 'Status' } },
      courses: { smsId: 'Code', name: 'Name' },
      enrolments: { personSmsId: 'Student ID', courseSmsId: 'Subject', groupSmsId: 'Class', startDate: 'Start Date' },
    });
  });

  it('the suggestion for the fixture export reads it', async () => {
    const text = combinedCsv(generateSchool({ seed: 3 }));
    const headers = (text.split('\r\n')[0] ?? '').split(',');
    const { mapping } = suggestMapping(headers, 'in.csv');
    expect(mapping).toBeDefined();
    const { snapshot } = await importFiles({ 'in.csv': text }, mapping);
    expect(snapshot.enrolments.length).toBeGreaterThan(0);
  });
});
