import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCsvAdapter } from './index';

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

/**
 * A course's dates, term and subject from the mapping's course columns (startDate, endDate, term,
 * subject), as a school's timetable export has them: what category and template rules test.
 */
describe('CSV course term and subject columns', () => {
  it('a combined export with Term and Learning Area columns gives each course its dates, term and subject', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cb-csv-terms-'));
    made.push(dir);
    await writeFile(
      join(dir, 'timetable.csv'),
      [
        'Student ID,First Name,Surname,Subject,Subject Name,Learning Area,Term,Start Date,End Date',
        '1001,Aroha,Ngata,10MAT,Year 10 Mathematics,Mathematics,Term 1,2027-02-01,2027-04-16',
        '1002,Ben,Smith,10MAT,Year 10 Mathematics,Mathematics,Term 1,2027-02-01,2027-04-16',
        '1001,Aroha,Ngata,10ENG,Year 10 English,,Semester 1,2027-02-01,2027-07-02',
      ].join('\n'),
    );
    const { snapshot } = await createCsvAdapter({
      mapping: {
        mode: 'combined',
        file: 'timetable.csv',
        person: { smsId: 'Student ID', givenName: 'First Name', familyName: 'Surname' },
        course: {
          smsId: 'Subject',
          name: 'Subject Name',
          startDate: 'Start Date',
          endDate: 'End Date',
          term: 'Term',
          subject: 'Learning Area',
        },
      },
    }).import({ kind: 'path', path: dir });
    const byId = new Map(snapshot.courses.map((c) => [c.smsId, c]));
    expect(byId.get('10MAT')).toEqual({
      smsId: '10MAT',
      code: '10MAT',
      name: 'Year 10 Mathematics',
      startDate: '2027-02-01',
      endDate: '2027-04-16',
      term: 'Term 1',
      subject: 'Mathematics',
    });
    // An empty cell gives no subject (a rule testing it sees "").
    expect(byId.get('10ENG')).toEqual({
      smsId: '10ENG',
      code: '10ENG',
      name: 'Year 10 English',
      startDate: '2027-02-01',
      endDate: '2027-07-02',
      term: 'Semester 1',
    });
  });
});
