import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { buildStatus } from '../api/status';
import { LmsConnectionSchema, PARTS, type LmsConnection } from '../model';
import { FakeClock } from '../../test-support/fake-clock';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { useTempDirs } from '../../test-support/temp';
import { lmsView, startMoodleSim, syntheticSchool, type MoodleSim } from '../../test-support/upload-harness';
import { SyncService } from './sync-service';

const tempDir = useTempDirs();
const MINUTE = 60_000;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function lms(id: string, sim: MoodleSim): LmsConnection {
  return LmsConnectionSchema.parse({
    id,
    kind: 'lms',
    provider: 'moodle',
    name: `Moodle ${id.toUpperCase()}`,
    url: sim.url,
    mapping: { newCourseCategoryId: 1, roleIds: { student: 5, editingteacher: 3 } },
  });
}

/** Two LMS fed by one SMS, on a clock the test moves: 10:00 on a Monday in Auckland (no reconcile window). */
async function twoLmsEngine(onChanged?: (service: SyncService) => void) {
  const [simA, simB] = [await startMoodleSim(), await startMoodleSim()];
  const clock = new FakeClock(new Date('2026-11-22T21:00:00.000Z'));
  const dataDir = tempDir();
  const store: Store = openStore({ file: join(dataDir, 'classbridge.db'), now: () => clock.now() });
  const school = syntheticSchool(10, 2);
  store.connections.save(lms('a', simA));
  store.connections.save(lms('b', simB));
  store.snapshot.replace(school, 'test');
  const secrets = new MemorySecretStore();
  await secrets.set('a', 'token', simA.token);
  await secrets.set('b', 'token', simB.token);
  const service: SyncService = new SyncService({
    store,
    secrets,
    logger: silentLogger,
    dataDir,
    clock,
    onChanged: () => onChanged?.(service),
  });
  cleanup.push(async () => {
    await service.stop();
    store.close();
    await simA.close();
    await simB.close();
  });
  /** Moves the clock and waits for the runs it started (they talk HTTP, so they outlive the clock's own settling). */
  const advance = async (ms: number) => {
    await clock.advance(ms);
    await service.idle();
    await clock.advance(0);
    await service.idle();
  };
  const health = (id: string, part: string) =>
    buildStatus(store, null, clock.now())
      .lms.find((l) => l.id === id)
      ?.parts.find((p) => p.part === part);
  return { simA, simB, clock, store, school, service, secrets, advance, health };
}

describe('the sync service with two LMS connections', () => {
  it('runs each LMS on its own schedule; a revoked token on one becomes a problem with its diagnosis, the other stays OK', async () => {
    const { simA, simB, store, school, service, advance, health } = await twoLmsEngine();
    await service.refresh();
    await advance(0);

    // The first scheduled upload made the whole school in both LMS.
    expect(lmsView(simA, school).users).toHaveLength(11);
    expect(lmsView(simB, school)).toEqual(lmsView(simA, school));
    expect(store.runs.last('a', 'upload')).toMatchObject({ outcome: 'ok', trigger: 'schedule' });
    expect(store.runs.last('b', 'upload')).toMatchObject({ outcome: 'ok', trigger: 'schedule' });

    // B's token is deleted in B; a student is renamed in the SMS.
    simB.deleteToken(simB.token);
    const renamed = structuredClone(school);
    renamed.people.find((p) => p.smsId === 'S1')!.familyName = 'Renamed';
    store.snapshot.replace(renamed, 'test');
    simA.resetCounters();
    await advance(30 * MINUTE);

    expect(simA.requestCount('core_user_update_users')).toBe(1);
    expect(lmsView(simA, renamed).users).toContain('syn1:Given1 Renamed:active');
    expect(store.runs.last('b', 'upload')?.outcome).toBe('failed');
    expect(health('b', 'upload')).toMatchObject({
      health: 'warning',
      words: expect.stringContaining('web-service token) no longer works'),
    });
    expect(health('a', 'upload')?.health).toBe('ok');

    // B keeps failing (retries back off) until no success for longer than the 30-minute threshold.
    const failedRunsBefore = store.runs.list({ connectionId: 'b', part: 'upload' }).length;
    await advance(31 * MINUTE);
    const failedRuns = store.runs.list({ connectionId: 'b', part: 'upload' }).length - failedRunsBefore;
    expect(failedRuns).toBeGreaterThanOrEqual(2);
    expect(failedRuns).toBeLessThanOrEqual(6);
    expect(health('b', 'upload')).toMatchObject({
      health: 'problem',
      words: expect.stringMatching(/^No successful run for .*token\) no longer works/),
      fix: expect.stringContaining('create a new token'),
    });
    expect(health('a', 'upload')?.health).toBe('ok');
    expect(health('a', 'results')?.health).toBe('ok');
    // The diagnosis is on the Errors list too, once per failed run, for B only.
    const connectionErrors = store.runs.listErrors({ connectionId: 'b' }).filter((e) => e.recordKind === 'connection');
    expect(connectionErrors.length).toBeGreaterThan(0);
    expect(store.runs.listErrors({ connectionId: 'a' })).toEqual([]);
  });

  it('a manual run resets that part for that LMS only: its next run is one period later', async () => {
    const { clock, service, advance } = await twoLmsEngine();
    await service.refresh();
    await advance(0);
    await advance(10 * MINUTE);
    const otherBefore = service.next('b', 'upload')!.getTime();

    const results = await service.runNow('upload', 'a');

    expect(results).toMatchObject([{ connectionId: 'a', outcome: 'ok' }]);
    expect(service.next('a', 'upload')!.getTime()).toBe(clock.now().getTime() + 30 * MINUTE);
    expect(service.next('b', 'upload')!.getTime()).toBe(otherBefore);
  });

  it('schedules the upload as one part, and Upload now kept to one kind of record is still an upload run', async () => {
    const { simA, school, store, service } = await twoLmsEngine();
    // Paused, nothing runs on its schedule: the run below is the only one.
    store.settings.save({ ...store.settings.get(), paused: true });
    await service.refresh();

    const results = await service.runNow('upload', 'a', { only: 'profiles' });

    expect(results).toMatchObject([{ connectionId: 'a', outcome: 'ok' }]);
    const view = lmsView(simA, school);
    expect(view.users.length).toBeGreaterThan(0);
    expect(view.courses).toHaveLength(0);
    expect(store.runs.list({ connectionId: 'a' }).map((r) => r.part)).toEqual(['upload']);
    // Each part has one schedule, the upload's included.
    store.settings.save({ ...store.settings.get(), paused: false });
    await service.refresh();
    expect(PARTS.map((part) => service.next('a', part) !== undefined)).toEqual([true, true, true, true]);
  });

  it('reports how far a running upload is, and nothing once it has finished', async () => {
    const seen: { done: number; total: number; perMinute: number | null }[] = [];
    const { service, advance } = await twoLmsEngine((svc) => {
      const p = svc.progressOf('a', 'upload');
      if (p) seen.push(p);
    });
    await service.refresh();
    await advance(0);

    expect(seen.length).toBeGreaterThan(0);
    const total = seen[0]!.total;
    // 11 users, 2 courses, 2 groups, 22 enrolments (students in 2 courses + the teacher) and 20 memberships.
    expect(total).toBe(11 + 2 + 2 + 22 + 20);
    expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1]!.done)).toBe(true);
    // With the rate measured from the first write (null until a second has passed: this run is quicker).
    expect(seen.at(-1)).toMatchObject({ done: total, total });
    expect(seen.every((p) => p.perMinute === null || p.perMinute > 0)).toBe(true);
    expect(service.progressOf('a', 'upload')).toBeUndefined();
  });

  it('runs a connection saved a moment ago (not yet in the schedule) instead of failing the click', async () => {
    const { simB, store, service, secrets } = await twoLmsEngine();
    await service.refresh();
    store.connections.save(lms('c', simB));
    await secrets.set('c', 'token', simB.token);

    const results = await service.runNow('course-tracking', 'c');

    expect(results).toEqual([
      { connectionId: 'c', outcome: 'ok', message: expect.stringContaining('courses in the LMS') },
    ]);
    expect(store.runs.last('c', 'course-tracking')?.outcome).toBe('ok');
    expect(service.next('c', 'course-tracking')).toBeInstanceOf(Date);
  });
});
