import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import type { ResultReview } from '../model';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { ApiService, type ApiResponse } from './api-service';

const tempDir = useTempDirs();
let store: Store;
let api: ApiService;

beforeEach(() => {
  store = openStore({ file: join(tempDir(), 'cb.db') });
  api = new ApiService({ store, secrets: new MemorySecretStore(), emit: () => {} });
  return () => store.close();
});

const lms = { id: 'moodle-main', kind: 'lms', provider: 'moodle', name: 'Moodle', url: 'https://moodle.example.org' };
const result = <T>(response: ApiResponse): T => {
  if (!response.ok) throw new Error(JSON.stringify(response.error));
  return response.result as T;
};
const detail = (why: string) => ({
  grade: '49.99',
  gradePercent: 49.99,
  exactPercent: 49.99,
  passPercent: 50,
  marginPoints: -0.01,
  progressPercent: 100,
  completed: true,
  why,
});

async function twoWaiting(): Promise<void> {
  await api.dispatch('connections:save', lms);
  store.snapshot.replace(
    {
      people: [
        { smsId: 'P1', role: 'student', givenName: 'Aroha', familyName: 'Ngata', active: true },
        { smsId: 'P2', role: 'student', givenName: 'Ben', familyName: 'Tui', active: true },
      ],
      courses: [{ smsId: 'U1', code: 'U1', name: 'Unit 1' }],
      groups: [],
      enrolments: [],
    },
    'test',
  );
  store.lmsCourses.recordSeen('moodle-main', [{ lmsId: 7, shortname: 'u1', fullname: 'Unit one', idnumber: 'U1' }]);
  const base = {
    connectionId: 'moodle-main',
    lmsCourseId: 7,
    courseSmsId: 'U1',
    contentHash: 'h',
    deliveredValue: null,
  };
  store.resultReviews.queue({
    ...base,
    personSmsId: 'P1',
    reason: 'margin',
    smsValue: '70',
    newValue: '30',
    detail: detail('near'),
  });
  store.resultReviews.queue({
    ...base,
    personSmsId: 'P2',
    reason: 'conflict',
    smsValue: '30',
    newValue: '20',
    detail: detail('edited'),
  });
}

describe('results:pending and results:decide', () => {
  it('lists what waits with names, filters by reason, and decides some or all', async () => {
    await twoWaiting();
    const all = result<ResultReview[]>(await api.dispatch('results:pending', {}));
    expect(all.map((r) => [r.personSmsId, r.personName, r.course, r.reason, r.smsValue, r.newValue])).toEqual([
      ['P1', 'Aroha Ngata', 'Unit one', 'margin', '70', '30'],
      ['P2', 'Ben Tui', 'Unit one', 'conflict', '30', '20'],
    ]);
    expect(all[0]).not.toHaveProperty('contentHash');
    const conflicts = result<ResultReview[]>(await api.dispatch('results:pending', { reasons: ['conflict'] }));
    expect(conflicts.map((r) => r.personSmsId)).toEqual(['P2']);

    // Keep the SMS's value is for conflicts only: the margin row is left as it was, and the message says so.
    const keep = result<{ changed: number; message: string }>(
      await api.dispatch('results:decide', { decision: 'keep-sms', all: true }),
    );
    expect(keep.changed).toBe(1);
    expect(keep.message).toContain('1 result kept as the SMS has it');
    expect(keep.message).toContain('conflicts only; 1 other result was left as it was');

    const held = result<{ changed: number }>(
      await api.dispatch('results:decide', {
        decision: 'hold',
        records: [{ connectionId: 'moodle-main', lmsCourseId: 7, personSmsId: 'P1' }],
      }),
    );
    expect(held.changed).toBe(1);
    expect(result<ResultReview[]>(await api.dispatch('results:pending', {})).map((r) => r.state)).toEqual(['held']);
    const accepted = result<{ message: string }>(
      await api.dispatch('results:decide', { decision: 'accept', all: true }),
    );
    expect(accepted.message).toBe('1 result accepted: the next results delivery writes it to the SMS.');
    expect(result<ResultReview[]>(await api.dispatch('results:pending', {}))).toEqual([]);
  });

  it('refuses a decision with nothing chosen, or an unknown decision, naming the field', async () => {
    const field = (r: ApiResponse) => (r.ok ? undefined : [r.error.code, r.error.field]);
    expect(field(await api.dispatch('results:decide', { decision: 'accept' }))).toEqual(['invalid-input', 'records']);
    expect(field(await api.dispatch('results:decide', { decision: 'overwrite', all: true }))).toEqual([
      'invalid-input',
      'decision',
    ]);
  });
});
