import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMoodleAdapter } from '../../../../adapters/lms/moodle';
import { startMoodleSim, type MoodleSim } from '../../../../adapters/testing/moodle-sim';
import { useTempDirs } from '../../../test-support/temp';
import { ConnectionSchema } from '../../model';
import { openStore, type Store } from '../../store/store';
import { trackCourses } from '../course-tracking';
import { downloadResults } from './download-results';

// What a download costs the store, over HTTP against the simulator with a real SQLite file: a gradebook
// that did not change writes nothing, and users upload linked are matched without reading the snapshot.
const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
const CONNECTION = 'moodle';

beforeEach(async () => {
  sim = await startMoodleSim();
  store = openStore({ file: join(tempDir(), 'cb.db') });
  store.connections.save(
    ConnectionSchema.parse({ id: CONNECTION, kind: 'lms', provider: 'moodle', name: 'Moodle', url: sim.url }),
  );
  // Every student is linked, as upload links the users it creates or finds; the snapshot holds them too.
  const students = [...sim.state.users.values()].filter((u) => u.username.startsWith('s'));
  store.snapshot.replace(
    {
      people: students.map((u) => ({
        smsId: `P-${u.id}`,
        role: 'student' as const,
        givenName: u.firstname,
        familyName: u.lastname,
        active: true,
      })),
      courses: [],
      groups: [],
      enrolments: [],
    },
    'test',
  );
  for (const u of students) store.links.set(CONNECTION, 'person', `P-${u.id}`, String(u.id));
  const adapter = createMoodleAdapter({ url: sim.url, token: sim.token, maxAttempts: 1, timeoutMs: 5000 });
  await trackCourses(adapter, store, CONNECTION);
  for (const c of store.lmsCourses.list({ connectionId: CONNECTION }))
    store.lmsCourses.setState(CONNECTION, c.lmsId, 'Open');
});
afterEach(async () => {
  store.close();
  await sim.close();
});

const download = () =>
  downloadResults(createMoodleAdapter({ url: sim.url, token: sim.token, maxAttempts: 1 }), store, CONNECTION);
/** Rows inserted, updated or deleted by the store's connection so far (SQLite's total_changes()). */
const rowsWritten = (): number => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

describe('what a results download costs the store', () => {
  it('writes no row when no gradebook changed, and one when one grade did', async () => {
    const first = await download();
    expect(first.counts.results).toBeGreaterThan(5);
    const before = rowsWritten();
    const stored = store.results.list({ connectionId: CONNECTION });

    const second = await download();
    expect(second.counts).toMatchObject({ changed: 0, unchanged: first.counts.results });
    expect(rowsWritten()).toBe(before);
    expect(store.results.list({ connectionId: CONNECTION })).toEqual(stored);

    const grade = sim.state.grades.find((g) => g.finalgrade !== null);
    if (!grade || grade.finalgrade === null) throw new Error('the simulator has no grade');
    grade.finalgrade = Math.max(0, grade.finalgrade - 1);
    const third = await download();
    expect(third.counts.changed).toBe(1);
    expect(rowsWritten()).toBe(before + 1);
  });

  it('matches linked users without reading the snapshot', async () => {
    const read = vi.spyOn(store.snapshot, 'read');
    const summary = await download();
    expect(summary.counts).toMatchObject({ unmatched: 0 });
    expect(summary.counts.results).toBeGreaterThan(5);
    expect(read).not.toHaveBeenCalled();
  });
});
