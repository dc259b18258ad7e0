import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { ConnectionSchema } from '../../model';
import type { CourseResultInput } from '../../store/repositories/results-repository';
import { openStore, type Store } from '../../store/store';
import { ResultWrites } from './result-writes';

// The download's writes, several whole courses per commit, against a real SQLite file.
const tempDir = useTempDirs();
let store: Store;

beforeEach(() => {
  store = openStore({ file: join(tempDir(), 'cb.db') });
  store.connections.save(
    ConnectionSchema.parse({ id: 'moodle', kind: 'lms', provider: 'moodle', name: 'Moodle', url: 'https://m.test' }),
  );
});
afterEach(() => store.close());

const result = (personSmsId: string, progressPercent: number): CourseResultInput => ({
  personSmsId,
  progressPercent,
  grade: null,
  gradePercent: null,
  gradeExact: null,
  activities: [],
});
const students = (n: number, progress = 50) => Array.from({ length: n }, (_, i) => result(`S${i}`, progress));
const changesOf = (course: number, results: readonly CourseResultInput[]) =>
  store.results.compareCourse('moodle', course, results).writes;
/** The courses with a result in the store (committed: the store has one connection). */
const storedCourses = () => new Set(store.results.list({ connectionId: 'moodle' }).map((r) => r.lmsCourseId));

describe('ResultWrites', () => {
  it('holds small courses until finish(), then writes them all', () => {
    const writes = new ResultWrites(store);
    writes.add(changesOf(1, students(3)));
    writes.add(changesOf(2, students(3)));
    writes.add([]);
    expect(storedCourses()).toEqual(new Set());
    writes.finish();
    expect(storedCourses()).toEqual(new Set([1, 2]));
    expect(store.results.list({ connectionId: 'moodle' })).toHaveLength(6);
    // After finish(), a late course (one still under way when the run ended) is written at once.
    writes.add(changesOf(3, students(2)));
    expect(storedCourses()).toEqual(new Set([1, 2, 3]));
  });

  it('commits once enough rows are waiting, whole courses only', () => {
    const writes = new ResultWrites(store);
    writes.add(changesOf(1, students(3_000)));
    expect(storedCourses()).toEqual(new Set());
    writes.add(changesOf(2, students(3_000)));
    expect(storedCourses()).toEqual(new Set([1, 2]));
    writes.add(changesOf(3, students(10)));
    expect(storedCourses()).toEqual(new Set([1, 2]));
    writes.finish();
    expect(storedCourses()).toEqual(new Set([1, 2, 3]));
  });

  it('stores the courses that can be stored when one course is refused, and throws its error', () => {
    const writes = new ResultWrites(store);
    writes.add(changesOf(1, students(3)));
    writes.add(changesOf(2, [result('S1', 30), result('S2', 120)]));
    writes.add(changesOf(3, students(3)));
    expect(() => writes.finish()).toThrow(/CHECK/);
    expect(storedCourses()).toEqual(new Set([1, 3]));
    expect(store.results.list({ lmsCourseId: 2 })).toEqual([]);
  });
});
