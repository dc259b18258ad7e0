import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import {
  connectionFor,
  moodleAdapter,
  syntheticSchool,
  upload,
  useFreshSite,
  writeRequests,
  type MoodleSim,
} from '../../../test-support/upload-harness';
import { DEFAULT_SETTINGS } from '../../model';
import { previewUpload } from '../upload/preview-upload';

const tempDir = useTempDirs();
const site = useFreshSite(tempDir);

/** The simulator's category of each synthetic course (SYN0-2026, SYN1-2026), by shortname. */
const categories = (sim: MoodleSim) =>
  Object.fromEntries(
    [...sim.state.courses.values()].filter((c) => c.shortname.startsWith('SYN')).map((c) => [c.shortname, c.category]),
  );

describe('category rules for created courses, against the Moodle simulator (a fresh site)', () => {
  it('creates two courses in two categories, the dry run says why, a second run (even with new rules) moves nothing', async () => {
    const { sim, store, connection } = await site.open(
      {
        newCourseCategoryId: 3,
        courseCategories: [{ field: 'code', equals: 'SYN0-2026', categoryId: 2 }],
      },
      syntheticSchool(3, 2),
    );

    const dry = previewUpload(store, connection, DEFAULT_SETTINGS);
    expect(dry.categories).toEqual([
      { key: 'C0', name: 'SYN0-2026 Synthetic course 0', categoryId: 2, because: 'rule 1: code equals "SYN0-2026"' },
      {
        key: 'C1',
        name: 'SYN1-2026 Synthetic course 1',
        categoryId: 3,
        because: 'newCourseCategoryId (no rule matched)',
      },
    ]);
    expect(writeRequests(sim)).toBe(0);

    const first = await upload(store, moodleAdapter(sim), connection);
    expect(first.outcome).toBe('ok');
    expect(categories(sim)).toEqual({ 'SYN0-2026': 2, 'SYN1-2026': 3 });

    // Rules changed after the courses exist: creates only, so nothing is moved or written.
    const changed = connectionFor(sim, {
      newCourseCategoryId: 1,
      courseCategories: [{ field: 'year', equals: '2026', categoryId: 1 }],
    });
    store.connections.save(changed);
    sim.resetCounters();
    const second = await upload(store, moodleAdapter(sim), changed);
    expect(second.outcome).toBe('ok');
    expect(writeRequests(sim)).toBe(0);
    expect(categories(sim)).toEqual({ 'SYN0-2026': 2, 'SYN1-2026': 3 });
  });

  it('a rule naming a category the site lacks: Moodle refuses the create (errorcatcontextnotvalid), the run says so', async () => {
    const { sim, store, connection } = await site.open(
      {
        newCourseCategoryId: 3,
        courseCategories: [{ field: 'code', equals: 'SYN0-2026', categoryId: 99 }],
      },
      syntheticSchool(3, 2),
    );
    const run = await upload(store, moodleAdapter(sim), connection);
    expect(run.outcome).toBe('partial'); // the other course is still created
    expect(sim.state.categories.has(99)).toBe(false);
    expect(Object.keys(categories(sim))).not.toContain('SYN0-2026');
    const errors = store.runs.listErrors({ connectionId: connection.id }).map((e) => `${e.message} ${e.fix ?? ''}`);
    expect(errors.join('\n')).toMatch(/category context \(category id:99\)/);
    // The fix names the mapping's category settings, not a missing capability.
    expect(errors.join('\n')).toContain("Check the category id in the connection's mapping");
    expect(categories(sim)).toEqual({ 'SYN1-2026': 3 });
  });
});
