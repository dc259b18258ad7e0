import type { ResultWrite } from '../../store/repositories/results-repository';
import type { Store } from '../../store/store';

/**
 * Changed rows held before one transaction writes them. The store commits with synchronous=FULL (an
 * fsync per commit), so a first download that commits each of 800 courses on its own spends seconds
 * waiting on the disk, with the engine thread blocked; several courses per commit cost one fsync.
 */
const ROWS_PER_COMMIT = 5_000;

/**
 * The results download's writes, whole courses per transaction: a course's changed results are held
 * (with the time each change was seen) until ROWS_PER_COMMIT are waiting, then written together;
 * finish() writes the rest, and the download calls it however the run ends. What a crash loses before
 * a commit is only a re-read: the next download finds those results changed and stores them then.
 * A course whose results are all unchanged adds nothing, so an unchanged download writes nothing.
 */
export class ResultWrites {
  private pending: ResultWrite[][] = [];
  private rows = 0;
  /** After finish(): a course still under way when the run ended (it failed) is written at once. */
  private finished = false;

  constructor(private readonly store: Store) {}

  /** One course's changed results (from results.compareCourse). */
  add(course: readonly ResultWrite[]): void {
    if (course.length === 0) return;
    if (this.finished) {
      this.store.results.writeResults(course);
      return;
    }
    this.pending.push([...course]);
    this.rows += course.length;
    if (this.rows >= ROWS_PER_COMMIT) this.flush();
  }

  /** Writes what is held; what comes after is written as it comes. */
  finish(): void {
    this.finished = true;
    this.flush();
  }

  /**
   * Writes what is held. Should the joint transaction fail, each course is written on its own, so the
   * courses that can be stored are (as when every course had its own transaction), and the first failing
   * course's error is thrown.
   */
  flush(): void {
    const courses = this.pending;
    this.pending = [];
    this.rows = 0;
    if (courses.length === 0) return;
    try {
      this.store.results.writeResults(courses.flat());
    } catch (error) {
      if (courses.length === 1) throw error;
      const failures: unknown[] = [];
      for (const course of courses) {
        try {
          this.store.results.writeResults(course);
        } catch (e) {
          failures.push(e);
        }
      }
      if (failures.length > 0) throw failures[0];
    }
  }
}
