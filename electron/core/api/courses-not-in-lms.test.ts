import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { ApiService, type ApiResponse } from './api-service';
import type { ApiOutput } from '../contract/contract';

const tempDir = useTempDirs();
let store: Store;
let api: ApiService;

beforeEach(() => {
  store = openStore({ file: join(tempDir(), 'cb.db') });
  api = new ApiService({ store, secrets: new MemorySecretStore(), emit: () => {} });
  return () => store.close();
});

const lms = (mapping: Record<string, unknown> = {}) => ({
  id: 'moodle-main',
  kind: 'lms',
  provider: 'moodle',
  name: 'Moodle',
  url: 'https://moodle.example.org',
  mapping,
});
const result = (response: ApiResponse) => {
  if (!response.ok) throw new Error(JSON.stringify(response.error));
  return response.result as ApiOutput<'courses:notInLms'>;
};

function school() {
  store.snapshot.replace(
    {
      people: [
        { smsId: 'S1', role: 'student', givenName: 'Aroha', familyName: 'Ngata', active: true },
        { smsId: 'S2', role: 'student', givenName: 'Liam', familyName: 'Brown', active: true },
      ],
      courses: [
        { smsId: 'C1', code: '10SCI', name: 'Year 10 Science' },
        { smsId: 'C2', code: '10ART', name: 'Year 10 Art' },
        { smsId: 'C3', code: '10MAT', name: 'Year 10 Maths' },
        { smsId: 'C4', code: '10HIS', name: 'Year 10 History' },
      ],
      groups: [],
      enrolments: [
        { personSmsId: 'S1', courseSmsId: 'C2', role: 'student', active: true },
        { personSmsId: 'S2', courseSmsId: 'C2', role: 'student', active: true },
        { personSmsId: 'S1', courseSmsId: 'C3', role: 'student', active: true },
      ],
    },
    'test',
  );
}

describe('courses:notInLms', () => {
  it('says nothing is known before the LMS course list was read', async () => {
    await api.dispatch('connections:save', lms());
    school();
    expect(result(await api.dispatch('courses:notInLms', {}))).toMatchObject([
      { connectionId: 'moodle-main', courseListRead: false, categoryChosen: false },
    ]);
  });

  it('lists the SMS courses with no live LMS course, most enrolments first, as the planner sees them', async () => {
    await api.dispatch('connections:save', lms());
    school();
    // 10SCI matches by ID number; C4 is linked to a course the LMS deleted; C2 and C3 have nothing.
    store.lmsCourses.recordSeen('moodle-main', [
      { lmsId: 7, shortname: 'sci', fullname: 'Science', idnumber: '10SCI' },
      { lmsId: 9, shortname: 'his', fullname: 'History', idnumber: '' },
    ]);
    store.links.set('moodle-main', 'course', 'C4', '9');
    store.lmsCourses.markMissingDeleted('moodle-main', [7]);

    const [list] = result(await api.dispatch('courses:notInLms', {}));
    expect(list).toMatchObject({ courseListRead: true, categoryChosen: false, courseMatch: 'idnumber', total: 3 });
    expect(list!.courses.map((c) => [c.code, c.enrolments, c.uploadCreates, c.deletedInLms ?? false])).toEqual([
      ['10ART', 2, false, false],
      ['10MAT', 1, false, false],
      ['10HIS', 0, false, true],
    ]);
  });

  it('says the upload creates them once a category is chosen, except a deleted or left-alone course', async () => {
    await api.dispatch('connections:save', lms({ newCourseCategoryId: 3 }));
    school();
    store.lmsCourses.recordSeen('moodle-main', [
      { lmsId: 7, shortname: 'sci', fullname: 'Science', idnumber: '10SCI' },
    ]);
    await api.dispatch('leaveAlone:set', { connectionId: 'moodle-main', kind: 'course', smsId: 'C3', on: true });

    const [list] = result(await api.dispatch('courses:notInLms', { connectionId: 'moodle-main' }));
    expect(list!.categoryChosen).toBe(true);
    const byCode = new Map(list!.courses.map((c) => [c.code, c]));
    expect(byCode.get('10ART')).toMatchObject({ uploadCreates: true });
    expect(byCode.get('10MAT')).toMatchObject({ uploadCreates: false, leftAlone: true });
    expect(byCode.has('10SCI')).toBe(false);
  });
});
