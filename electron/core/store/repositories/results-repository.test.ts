import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { ConnectionSchema } from '../../model';
import { openStore, type Store } from '../store';
import type { CourseResultInput } from './results-repository';

// storeCourse: one course's results stored as upsert stores them one by one, with no write for what did not change.
const tempDir = useTempDirs();
let store: Store;
let clock: Date;

beforeEach(() => {
  clock = new Date('2026-11-23T09:00:00Z');
  store = openStore({ file: join(tempDir(), 'cb.db'), now: () => clock });
  store.connections.save(
    ConnectionSchema.parse({ id: 'moodle', kind: 'lms', provider: 'moodle', name: 'Moodle', url: 'https://m.test' }),
  );
});
afterEach(() => store.close());

const result = (personSmsId: string, progressPercent: number, gradeExact: number | null = 72.5): CourseResultInput => ({
  personSmsId,
  progressPercent,
  grade: gradeExact === null ? null : '72.50',
  gradePercent: gradeExact === null ? null : 72.5,
  gradeExact,
  activities: [{ itemId: 1, name: 'Essay', grade: '8.00', percentage: 80 }],
});
/** Rows inserted, updated or deleted by this connection so far (SQLite's total_changes()). */
const rowsWritten = (): number => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
const tick = () => void (clock = new Date(clock.getTime() + 60_000));

describe('results.storeCourse', () => {
  it('stores a new course, then writes nothing at all when none of its results changed', () => {
    const course = [result('S1', 50), result('S2', 100), result('S3', 0, null)];
    expect(store.results.storeCourse('moodle', 7, course)).toEqual([true, true, true]);
    const before = rowsWritten();
    const stored = store.results.list({ connectionId: 'moodle' });
    tick();
    expect(store.results.storeCourse('moodle', 7, course)).toEqual([false, false, false]);
    expect(rowsWritten()).toBe(before);
    expect(store.results.list({ connectionId: 'moodle' })).toEqual(stored);
  });

  it('writes exactly the results that changed, including a change the rounding hides', () => {
    store.results.storeCourse('moodle', 7, [result('S1', 50, 49.999), result('S2', 100), result('S3', 20)]);
    const before = rowsWritten();
    tick();
    const changed = store.results.storeCourse('moodle', 7, [
      result('S1', 50, 50.001),
      result('S2', 100),
      result('S3', 40),
    ]);
    expect(changed).toEqual([true, false, true]);
    expect(rowsWritten()).toBe(before + 2);
    const rows = new Map(store.results.list({ connectionId: 'moodle' }).map((r) => [r.personSmsId, r]));
    expect(rows.get('S1')).toMatchObject({ gradeExact: 50.001, updatedAt: '2026-11-23T09:01:00.000Z' });
    expect(rows.get('S2')?.updatedAt).toBe('2026-11-23T09:00:00.000Z');
    expect(rows.get('S3')?.progressPercent).toBe(40);
  });

  it('agrees with upsert, result by result: the same flags and the same rows', () => {
    const first = [result('S1', 50), result('S2', 60)];
    const second = [result('S1', 50), result('S2', 70), result('S4', 10)];
    expect(store.results.storeCourse('moodle', 7, first)).toEqual([true, true]);
    const batched = store.results.storeCourse('moodle', 7, second);
    const rowsBatched = store.results.list({ connectionId: 'moodle' });

    store.db.prepare('DELETE FROM results').run();
    for (const r of first) store.results.upsert({ connectionId: 'moodle', lmsCourseId: 7, ...r });
    const oneByOne = second.map((r) => store.results.upsert({ connectionId: 'moodle', lmsCourseId: 7, ...r }));
    expect(batched).toEqual(oneByOne);
    expect(store.results.list({ connectionId: 'moodle' })).toEqual(rowsBatched);
  });

  it('compares a person met twice in one gradebook with what the first stored, as upsert would', () => {
    expect(store.results.storeCourse('moodle', 7, [result('S1', 50), result('S1', 50), result('S1', 80)])).toEqual([
      true,
      false,
      true,
    ]);
    expect(store.results.list({ connectionId: 'moodle' }).map((r) => r.progressPercent)).toEqual([80]);
  });

  it('keeps other courses and connections apart, and stores nothing of a course when one result is refused', () => {
    store.results.storeCourse('moodle', 8, [result('S1', 30)]);
    expect(store.results.storeCourse('moodle', 7, [result('S1', 30)])).toEqual([true]);
    expect(() => store.results.storeCourse('moodle', 9, [result('S1', 30), result('S2', 120)])).toThrow(/CHECK/);
    expect(store.results.list({ lmsCourseId: 9 })).toEqual([]);
  });
});

describe('results.undelivered', () => {
  it('lists what changed since it was delivered, and nothing after delivery', () => {
    store.results.storeCourse('moodle', 7, [result('S1', 50), result('S2', 60)]);
    expect(store.results.undelivered('moodle').map((r) => r.personSmsId)).toEqual(['S1', 'S2']);
    store.results.markDelivered(store.results.undelivered('moodle'));
    expect(store.results.undelivered('moodle')).toEqual([]);
    tick();
    store.results.storeCourse('moodle', 7, [result('S1', 50), result('S2', 90)]);
    expect(store.results.undelivered('moodle').map((r) => [r.personSmsId, r.progressPercent])).toEqual([['S2', 90]]);
  });
});
