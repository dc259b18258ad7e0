import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { ApiService, type ApiResponse } from './api-service';

const tempDir = useTempDirs();
let store: Store;
let api: ApiService;
let events: string[];

beforeEach(() => {
  store = openStore({ file: join(tempDir(), 'cb.db') });
  events = [];
  api = new ApiService({ store, secrets: new MemorySecretStore(), emit: (event) => events.push(event) });
  return () => store.close();
});

const lms = { id: 'moodle-main', kind: 'lms', provider: 'moodle', name: 'Moodle', url: 'https://moodle.example.org' };
const result = <T>(response: ApiResponse): T => {
  if (!response.ok) throw new Error(JSON.stringify(response.error));
  return response.result as T;
};

describe('leaveAlone:list and leaveAlone:set', () => {
  it('marks a person and a course, names them from the SMS export, shows the course mark on the Courses list, lifts them', async () => {
    await api.dispatch('connections:save', lms);
    store.snapshot.replace(
      {
        people: [
          { smsId: 'S1', role: 'student', givenName: 'Aroha', familyName: 'Ngata', username: 'angata', active: true },
        ],
        courses: [{ smsId: 'C1', code: '10SCI', name: 'Year 10 Science' }],
        groups: [],
        enrolments: [],
      },
      'test',
    );
    store.lmsCourses.recordSeen('moodle-main', [
      { lmsId: 7, shortname: 'sci', fullname: 'Science', idnumber: '10SCI' },
      { lmsId: 8, shortname: 'art', fullname: 'Art', idnumber: 'ART' },
    ]);

    const person = result<{ changed: boolean; message: string; mark: { label: string } }>(
      await api.dispatch('leaveAlone:set', {
        connectionId: 'moodle-main',
        kind: 'person',
        smsId: 'S1',
        on: true,
        note: 'Kept by hand',
      }),
    );
    expect(person.changed).toBe(true);
    expect(person.mark.label).toBe('Aroha Ngata (angata)');
    expect(person.message).toContain('ClassBridge leaves the person Aroha Ngata (angata) alone on Moodle');
    await api.dispatch('leaveAlone:set', { connectionId: 'moodle-main', kind: 'course', smsId: 'C1', on: true });
    expect(events).toContain('courses:changed');
    expect(result<unknown[]>(await api.dispatch('leaveAlone:list', {}))).toMatchObject([
      { kind: 'course', smsId: 'C1', label: 'Year 10 Science (10SCI)', note: null },
      { kind: 'person', smsId: 'S1', note: 'Kept by hand' },
    ]);
    // The LMS course matched by code carries its SMS course and the mark; one with no SMS course neither.
    const courses = result<{ lmsId: number; smsCourseId?: string; leftAlone?: unknown }[]>(
      await api.dispatch('courses:list', {}),
    );
    expect(courses.find((c) => c.lmsId === 7)).toMatchObject({ smsCourseId: 'C1', leftAlone: { note: null } });
    expect(courses.find((c) => c.lmsId === 8)).not.toHaveProperty('smsCourseId');

    const lifted = result<{ changed: boolean; message: string }>(
      await api.dispatch('leaveAlone:set', { connectionId: 'moodle-main', kind: 'course', smsId: 'C1', on: false }),
    );
    expect(lifted).toMatchObject({ changed: true, message: expect.stringContaining('no longer left alone') });
    expect(result<unknown[]>(await api.dispatch('leaveAlone:list', { connectionId: 'moodle-main' }))).toHaveLength(1);
  });

  it('refuses an SMS connection, an unknown one, an empty id and an unknown kind, naming the field', async () => {
    await api.dispatch('connections:save', { id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' });
    const field = (r: ApiResponse) => (r.ok ? undefined : [r.error.code, r.error.field]);
    const set = (input: Record<string, unknown>) =>
      api.dispatch('leaveAlone:set', { connectionId: 'kamar', kind: 'person', smsId: 'S1', on: true, ...input });
    expect(field(await set({}))).toEqual(['not-found', 'connectionId']);
    expect(field(await set({ connectionId: 'nope' }))).toEqual(['not-found', 'connectionId']);
    expect(field(await set({ smsId: '  ' }))).toEqual(['invalid-input', 'smsId']);
    expect(field(await set({ kind: 'group' }))).toEqual(['invalid-input', 'kind']);
  });
});
