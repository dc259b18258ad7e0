import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { ConnectionSchema } from '../../model';
import { openStore } from '../store';
import { CourseCopiesRepository } from './course-copies-repository';

const tempDir = useTempDirs();

describe('migration 021 (course templates)', () => {
  it("keeps a course's term and subject in the snapshot, and nothing for a course without them", () => {
    const file = join(tempDir(), 'cb.db');
    let store = openStore({ file });
    store.snapshot.replace(
      {
        people: [],
        courses: [
          {
            smsId: 'C1',
            code: '10MAT',
            name: 'Maths',
            startDate: '2027-02-01',
            term: 'Term 1',
            subject: 'Mathematics',
          },
          { smsId: 'C2', code: '10ENG', name: 'English' },
        ],
        groups: [],
        enrolments: [],
      },
      'test',
    );
    store.close();
    store = openStore({ file });
    expect(store.snapshot.read().courses).toEqual([
      { smsId: 'C1', code: '10MAT', name: 'Maths', startDate: '2027-02-01', term: 'Term 1', subject: 'Mathematics' },
      { smsId: 'C2', code: '10ENG', name: 'English' },
    ]);
    store.close();
  });

  it('journals a copy from start to made to removed, per connection, and goes with its connection', () => {
    const store = openStore({ file: join(tempDir(), 'cb.db') });
    store.connections.save(
      ConnectionSchema.parse({ id: 'lms1', kind: 'lms', provider: 'moodle', name: 'Moodle', url: 'https://m.example' }),
    );
    const copies = new CourseCopiesRepository(store.db, () => new Date('2027-01-10T00:00:00Z'));
    copies.start('lms1', 'C1', '10MAT-2027', 41);
    expect([...copies.pending('lms1').values()]).toEqual([
      {
        smsId: 'C1',
        shortname: '10MAT-2027',
        templateCourseId: 41,
        startedAt: '2027-01-10T00:00:00.000Z',
        lmsId: null,
      },
    ]);
    copies.made('lms1', 'C1', 77);
    expect(copies.pending('lms1').get('C1')?.lmsId).toBe(77);
    copies.remove('lms1', 'C1');
    expect(copies.pending('lms1').size).toBe(0);
    copies.start('lms1', 'C2', '10ENG-2027', 42);
    store.connections.remove('lms1');
    expect(copies.pending('lms1').size).toBe(0);
    store.close();
  });
});
