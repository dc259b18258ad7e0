import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMoodleSim, type MoodleSim } from '../../../../adapters/testing/moodle-sim';
import { useTempDirs } from '../../../test-support/temp';
import {
  CONNECTION_ID,
  connectionFor,
  lmsView,
  moodleAdapter,
  openTestStore,
  syntheticSchool,
  upload,
} from '../apply/test-support';
import { coursesById, trackCourses } from './index';

// A course ClassBridge created from the SMS is one the school syncs: course tracking must not turn it
// into a New course that the next upload then refuses to enrol into.
const tempDir = useTempDirs();
let sim: MoodleSim;
beforeEach(async () => {
  sim = await startMoodleSim();
});
afterEach(async () => {
  await sim.close();
});

describe('courses ClassBridge created', () => {
  it('start Open when course tracking first sees them, so later enrolments keep going in', async () => {
    const school = syntheticSchool(6, 2);
    const connection = connectionFor(sim);
    const store = openTestStore(tempDir(), connection, school);
    try {
      expect((await upload(store, moodleAdapter(sim), connection)).outcome).toBe('ok');
      await trackCourses(moodleAdapter(sim), store, CONNECTION_ID);
      const tracked = [...coursesById(store, CONNECTION_ID).values()];
      const created = tracked.filter((c) => c.shortname.startsWith('SYN'));
      expect(created.map((c) => c.state)).toEqual(['Open', 'Open']);
      // The site's own courses are still for the admin to decide.
      expect(tracked.filter((c) => !c.shortname.startsWith('SYN')).every((c) => c.state === 'New')).toBe(true);

      // A student who joins later is enrolled into the created course on the next upload.
      const later = syntheticSchool(7, 2);
      store.snapshot.replace(later, 'test');
      const second = await upload(store, moodleAdapter(sim), connection);
      expect(second.outcome).toBe('ok');
      expect(lmsView(sim, later).enrolments.filter((e) => e.startsWith('syn6@'))).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});
