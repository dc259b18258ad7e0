import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../adapters/contract';
import { buildStatus } from '../../api/status';
import { LmsConnectionSchema } from '../../model';
import { FakeClock } from '../../../test-support/fake-clock';
import { MemorySecretStore } from '../../secrets';
import { openStore } from '../../store/store';
import { useTempDirs } from '../../../test-support/temp';
import { startMoodleSim, syntheticSchool } from '../../../test-support/upload-harness';
import { SyncService } from '../sync-service';
import { TOKEN_POLL_MS, WAITING_FOR_TOKEN } from './token-gate';

const tempDir = useTempDirs();
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** One LMS saved the way the setup wizard saves it: the connection first, its token a moment later. */
async function savedWithoutToken() {
  const sim = await startMoodleSim();
  const clock = new FakeClock(new Date('2026-11-22T21:00:00.000Z'));
  const dataDir = tempDir();
  const store = openStore({ file: join(dataDir, 'classbridge.db'), now: () => clock.now() });
  store.snapshot.replace(syntheticSchool(10, 2), 'test');
  store.connections.save(
    LmsConnectionSchema.parse({
      id: 'moodle-main',
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle (main)',
      url: sim.url,
      mapping: { newCourseCategoryId: 1, roleIds: { student: 5, editingteacher: 3 } },
    }),
  );
  const secrets = new MemorySecretStore();
  const service = new SyncService({ store, secrets, logger: silentLogger, dataDir, clock });
  cleanup.push(async () => {
    await service.stop();
    store.close();
    await sim.close();
  });
  const advance = async (ms: number) => {
    await clock.advance(ms);
    await service.idle();
    await clock.advance(0);
    await service.idle();
  };
  const status = () =>
    buildStatus(store, null, clock.now(), {
      nextRun: (id, part) => service.next(id, part),
      progressOf: () => undefined,
      waitingForToken: (id) => service.waitingForToken(id),
    }).lms[0]!;
  return { sim, store, secrets, service, advance, status };
}

describe('an LMS connection whose token is not stored yet (issue 18 item 6)', () => {
  it('runs nothing and records no failed run; the dashboard says it waits for the token; the token starts it', async () => {
    const { sim, store, secrets, service, advance, status } = await savedWithoutToken();
    await service.refresh();
    await advance(0);
    await advance(60 * 60_000);

    expect(store.runs.list({ connectionId: 'moodle-main' })).toHaveLength(0);
    expect(service.waitingForToken('moodle-main')).toBe(true);
    for (const part of status().parts) {
      expect(part).toMatchObject({ health: 'warning', words: WAITING_FOR_TOKEN.words, nextRun: null });
    }

    // secrets:set emits settings:changed, which rebuilds the schedule: the parts run at once.
    await secrets.set('moodle-main', 'token', sim.token);
    await service.refresh();
    await advance(0);
    expect(service.waitingForToken('moodle-main')).toBe(false);
    expect(store.runs.last('moodle-main', 'upload')).toMatchObject({ outcome: 'ok', trigger: 'schedule' });
    expect(status().parts.find((p) => p.part === 'upload')?.words).not.toBe(WAITING_FOR_TOKEN.words);
  });

  it('notices a token stored by another process (the keychain tells the engine nothing) within seconds', async () => {
    const { sim, store, secrets, service, advance } = await savedWithoutToken();
    await service.refresh();
    await advance(0);
    await secrets.set('moodle-main', 'token', sim.token);
    const deadline = Date.now() + 3 * TOKEN_POLL_MS;
    while (service.waitingForToken('moodle-main') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(service.waitingForToken('moodle-main')).toBe(false);
    await advance(0);
    expect(store.runs.last('moodle-main', 'upload')).toMatchObject({ outcome: 'ok', trigger: 'schedule' });
  });

  it('Upload now without a token still answers the click: one failed run with the fix', async () => {
    const { store, service, advance } = await savedWithoutToken();
    await service.refresh();
    await advance(0);
    const [result] = await service.runNow('upload');
    expect(result).toMatchObject({ connectionId: 'moodle-main', outcome: 'failed' });
    expect(result?.message).toMatch(/No web-service token is stored/);
    expect(store.runs.list({ connectionId: 'moodle-main' })).toHaveLength(1);
  });
});
