import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { buildStatus } from '../api/status';
import { LmsConnectionSchema } from '../model';
import { FakeClock } from '../../test-support/fake-clock';
import { MemorySecretStore } from '../secrets';
import { openStore } from '../store/store';
import { useTempDirs } from '../../test-support/temp';
import { lmsView, startMoodleSim, syntheticSchool, type MoodleSim } from '../../test-support/upload-harness';
import { SyncService } from './sync-service';

const tempDir = useTempDirs();

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** One LMS whose writes are slow (30 ms a record), so a stop can land while a batch is in flight. */
async function slowLms() {
  const sim: MoodleSim = await startMoodleSim({ latency: { perRequestMs: 0, perItemMs: 0, perWriteItemMs: 30 } });
  const clock = new FakeClock(new Date('2026-11-22T21:00:00.000Z'));
  const dataDir = tempDir();
  const store = openStore({ file: join(dataDir, 'classbridge.db'), now: () => clock.now() });
  store.connections.save(
    LmsConnectionSchema.parse({
      id: 'a',
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle A',
      url: sim.url,
      mapping: { newCourseCategoryId: 1, roleIds: { student: 5, editingteacher: 3 } },
    }),
  );
  const school = syntheticSchool(10, 2);
  store.snapshot.replace(school, 'test');
  const secrets = new MemorySecretStore();
  await secrets.set('a', 'token', sim.token);
  const services: SyncService[] = [];
  const service = () => {
    const s = new SyncService({ store, secrets, logger: silentLogger, dataDir, clock });
    services.push(s);
    return s;
  };
  cleanup.push(async () => {
    for (const s of services) await s.stop();
    store.close();
    await sim.close();
  });
  return { sim, clock, store, school, service };
}

describe('stopping the sync service (quitting the app)', () => {
  it('lets the batch in flight finish and be journalled, sends nothing after it, and the next start carries on', async () => {
    const { sim, clock, store, school, service } = await slowLms();
    const first = service();
    await first.refresh(); // the first upload is due at once
    await until(() => sim.requestCount('core_user_create_users') > 0);

    await first.stop();

    // The users batch the LMS was working on ended and was journalled; nothing was sent after it.
    expect(lmsView(sim, school).users).toHaveLength(11);
    expect(store.links.all('a', 'person').size).toBe(11);
    expect(sim.requestCount('core_course_create_courses')).toBe(0);
    expect(sim.requestCount('enrol_manual_enrol_users')).toBe(0);
    const stopped = store.runs.last('a', 'upload');
    expect(stopped).toMatchObject({
      outcome: 'partial',
      counts: { stopped: 1, done: 11 },
      message: expect.stringContaining('Stopped because ClassBridge was closing: 11 of'),
    });
    // Not a failure: no backoff, no *problem* (and so no notification) when the app starts again.
    const health = buildStatus(store, null, new Date(clock.now().getTime() + 8 * 3_600_000)).lms[0]?.parts.find(
      (p) => p.part === 'upload',
    );
    expect(health?.health).not.toBe('problem');

    // Nothing runs after stop(), even if the settings change on the way out.
    sim.resetCounters();
    await first.refresh();
    await clock.advance(60 * 60_000);
    expect(sim.requestCount()).toBe(0);

    // Next start, same moment: the stopped upload is carried on at once (not one period later),
    // from the journal: the users are not created again, and the LMS ends up complete.
    const second = service();
    await second.refresh();
    await second.idle();
    await clock.advance(0);
    await second.idle();
    expect(store.runs.last('a', 'upload')).toMatchObject({ outcome: 'ok' });
    expect(sim.requestCount('core_user_create_users')).toBe(0);
    const complete = lmsView(sim, school);
    expect(complete.users).toHaveLength(11);
    expect(complete.enrolments).toHaveLength(22);
    expect(complete.members).toHaveLength(20);
  }, 30_000);

  it('stops at once when nothing is running', async () => {
    const { service } = await slowLms();
    const s = service();
    await s.stop();
    await s.refresh();
    expect(s.next('a', 'upload')).toBeUndefined();
  });
});
