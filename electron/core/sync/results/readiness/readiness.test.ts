import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMoodleAdapter } from '../../../../../adapters/lms/moodle';
import { startMoodleSim, type MoodleSim } from '../../../../../adapters/testing/moodle-sim';
import { useTempDirs } from '../../../../test-support/temp';
import { MemorySecretStore } from '../../../secrets/memory-secret-store';
import { ConnectionSchema, type SmsConnection } from '../../../model';
import { openStore, type Store } from '../../../store/store';
import { trackCourses } from '../../course-tracking';
import { readinessFor } from '../../results-readiness';
import { checkReadiness, resultsNeedsFor } from './index';

// The real Moodle adapter against the simulator over HTTP, the real store: readiness per Open course.
const tempDir = useTempDirs();
let sim: MoodleSim;
let store: Store;
const CONNECTION = 'moodle';
const MATH = 2;
const BIO = 3;
const HIST = 4;
const BIO_TOTAL = 7;

beforeEach(async () => {
  sim = await startMoodleSim();
  store = openStore({ file: join(tempDir(), 'cb.db') });
  store.connections.save(
    ConnectionSchema.parse({ id: CONNECTION, kind: 'lms', provider: 'moodle', name: 'Moodle', url: sim.url }),
  );
  await trackCourses(adapter(), store, CONNECTION);
  for (const lmsId of [MATH, BIO, HIST]) store.lmsCourses.setState(CONNECTION, lmsId, 'Open');
});
afterEach(async () => {
  store.close();
  await sim.close();
});

const adapter = () => createMoodleAdapter({ url: sim.url, token: sim.token, maxAttempts: 1, timeoutMs: 5000 });
const settings = { results: { autoExport: true } };
const noNeeds = { numericScoreOnly: false };
const byCourse = async (needs = noNeeds) =>
  new Map((await checkReadiness(adapter(), store, CONNECTION, needs)).map((c) => [c.lmsCourseId, c]));

async function oneRosterExport(version: '1.1' | '1.2'): Promise<string> {
  const folder = join(tempDir(), `oneroster-${version}`);
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'manifest.csv'),
    `propertyName,value\nmanifest.version,1.0\noneroster.version,${version}\n`,
  );
  return folder;
}

describe('readiness per course, from the gradebook the results download reads', () => {
  it('a hidden graded item is flagged with its fix; a course without graded activities too; a sound course is ready', async () => {
    const courses = await byCourse();
    const math = courses.get(MATH)!;
    expect(math.state).toBe('not-ready');
    expect(math.problems).toEqual([
      {
        kind: 'hidden-graded-items',
        message: expect.stringContaining('"Final exam (hidden)" is hidden from students'),
        fix: expect.stringContaining('Gradebook setup'),
      },
    ]);
    const history = courses.get(HIST)!;
    expect(history.state).toBe('not-ready');
    expect(history.problems.map((p) => p.kind)).toEqual(['no-graded-activities']);
    expect(history.problems[0]!.fix).toContain('Add the graded activities');
    expect(courses.get(BIO)).toMatchObject({ state: 'ready', problems: [] });
  });

  it('costs one gradebook request per course, never one per student', async () => {
    const counted = new Map<string, number>();
    const a = adapter();
    const read = a.readGradebook.bind(a);
    a.readGradebook = (courseId, userId) => {
      counted.set(String(userId ?? 'all'), (counted.get(String(userId ?? 'all')) ?? 0) + 1);
      return read(courseId, userId);
    };
    await checkReadiness(a, store, CONNECTION, noNeeds);
    expect(Object.fromEntries(counted)).toEqual({ all: 3 });
  });

  it('a OneRoster 1.1 SMS and a course total shown only as a letter: flagged; 1.2 carries it', async () => {
    // The User report's range and percentage columns off, the course total displayed as a letter.
    sim.state.site.userReportShowRange = false;
    sim.state.site.userReportShowPercentage = false;
    sim.state.gradeItems.get(BIO_TOTAL)!.display = 'letter';
    const sms = (source: string): SmsConnection => ({
      id: 'sis',
      kind: 'sms',
      provider: 'oneroster',
      name: 'SIS',
      source,
      options: {},
    });
    const v11 = await resultsNeedsFor(sms(await oneRosterExport('1.1')), CONNECTION, settings);
    expect(v11.numericScoreOnly).toBe(true);
    const bio = (await byCourse(v11)).get(BIO)!;
    expect(bio.state).toBe('not-ready');
    expect(bio.problems).toEqual([
      {
        kind: 'letter-only-total',
        message: expect.stringMatching(/shows only as a letter \("[A-F][+-]?"/),
        fix: expect.stringContaining('Show percentage'),
      },
    ]);
    const v12 = await resultsNeedsFor(sms(await oneRosterExport('1.2')), CONNECTION, settings);
    expect((await byCourse(v12)).get(BIO)).toMatchObject({ state: 'ready' });
    // With the percentage column on, the letter travels as its number: nothing to flag.
    sim.state.site.userReportShowPercentage = true;
    expect((await byCourse(v11)).get(BIO)).toMatchObject({ state: 'ready' });
  });

  it('AVETMISS outcomes without a pass mark: every Open course says so, with the option to set', async () => {
    const vettrak: SmsConnection = {
      id: 'sms',
      kind: 'sms',
      provider: 'vettrak',
      name: 'VETtrak',
      source: tempDir(),
      options: {},
    };
    const needs = await resultsNeedsFor(vettrak, CONNECTION, settings);
    const bio = (await byCourse(needs)).get(BIO)!;
    expect(bio.state).toBe('not-ready');
    expect(bio.problems).toEqual([
      expect.objectContaining({ kind: 'no-pass-mark', fix: expect.stringContaining('"outcomePassPercent"') }),
    ]);
    const set = await resultsNeedsFor({ ...vettrak, options: { outcomePassPercent: 50 } }, CONNECTION, settings);
    expect((await byCourse(set)).get(BIO)).toMatchObject({ state: 'ready' });
    // Results auto-export off: results.csv, no outcomes, no pass mark needed.
    const off = await resultsNeedsFor(vettrak, CONNECTION, { results: { autoExport: false } });
    expect(off.passMark).toBeUndefined();
  });

  it('readinessFor: a connection without a token says so with the fix; with one, its Open courses', async () => {
    const secrets = new MemorySecretStore();
    const [missing] = await readinessFor(store, secrets);
    expect(missing).toMatchObject({ connectionId: CONNECTION, courses: [] });
    expect(missing!.error?.fix).toContain('classbridge secret set moodle token');
    await secrets.set(CONNECTION, 'token', sim.token);
    const [report] = await readinessFor(store, secrets);
    expect(report!.error).toBeUndefined();
    expect(report!.courses.map((c) => [c.lmsCourseId, c.state]).sort()).toEqual([
      [MATH, 'not-ready'],
      [BIO, 'ready'],
      [HIST, 'not-ready'],
    ]);
  });
});
