import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import { createLogger } from '../logging/logger';
import { MemorySecretStore } from '../secrets';
import { createEngine, type Engine, type EngineMode } from './engine';

const tempDir = useTempDirs();
const open: Engine[] = [];
afterEach(async () => {
  for (const engine of open.splice(0)) await engine.close();
});

function engineIn(dataDir: string, mode: EngineMode): Engine {
  const engine = createEngine({ dataDir, mode, secrets: new MemorySecretStore(), logger: createLogger(undefined) });
  open.push(engine);
  return engine;
}

async function call<T = unknown>(engine: Engine, method: string, input: unknown = {}): Promise<T> {
  const answer = await engine.api.dispatch(method, input);
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.result as T;
}

const lms = (id: string) => ({
  id,
  kind: 'lms',
  provider: 'moodle',
  name: `Moodle ${id}`,
  url: 'http://127.0.0.1:9',
});

describe('createEngine: one engine for every host', () => {
  it('answers the Api alike as a one-shot command and as a serving engine', async () => {
    const dataDir = tempDir();
    const oneShot = engineIn(dataDir, 'one-shot');
    await call(oneShot, 'connections:save', lms('moodle-a'));
    await call(oneShot, 'connections:save', { id: 'csv', kind: 'sms', provider: 'csv', name: 'CSV files' });
    const reads = ['connections:list', 'settings:get', 'courses:list', 'heldPlans:list', 'errors:list', 'links:list'];
    const before = await Promise.all(reads.map((m) => call(oneShot, m)));
    // The rules are the engine's, not the host's: a second SMS is refused the same way in both.
    const second = { id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' };
    const refusedOneShot = await oneShot.api.dispatch('connections:save', second);
    await oneShot.close();

    const serving = engineIn(dataDir, 'service');
    expect(await Promise.all(reads.map((m) => call(serving, m)))).toEqual(before);
    expect(await serving.api.dispatch('connections:save', second)).toEqual(refusedOneShot);
    expect(refusedOneShot).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('restores a backup under a serving engine; a call made meanwhile is answered from the restored copy', async () => {
    const dataDir = tempDir();
    const engine = engineIn(dataDir, 'service');
    // Paused, so no scheduled first upload takes the day's backup itself in the middle of the test.
    await call(engine, 'sync:setPaused', { paused: true });
    await call(engine, 'connections:save', lms('moodle-a'));
    const backup = await call<{ file: string }>(engine, 'database:backup');
    await call(engine, 'connections:save', lms('moodle-b'));
    const storeBefore = engine.store;

    const restoring = call<{ message: string; replacedBy?: string }>(engine, 'database:restore', { file: backup.file });
    const meanwhile = call<{ id: string }[]>(engine, 'connections:list');
    const restored = await restoring;
    expect(restored.replacedBy).toContain('classbridge-replaced-');
    expect((await meanwhile).map((c) => c.id)).toEqual(['moodle-a']);
    // A new store under the same engine, and it takes writes.
    expect(engine.store).not.toBe(storeBefore);
    await call(engine, 'connections:save', lms('moodle-c'));
    expect((await call<{ id: string }[]>(engine, 'connections:list')).map((c) => c.id)).toEqual([
      'moodle-a',
      'moodle-c',
    ]);
  });

  it('refuses a file that is no backup, and goes on from the database it had', async () => {
    const dataDir = tempDir();
    const engine = engineIn(dataDir, 'service');
    await call(engine, 'connections:save', lms('moodle-a'));
    const notes = join(dataDir, 'notes.db');
    writeFileSync(notes, 'not a database\n'.repeat(300));
    const refused = await engine.api.dispatch('database:restore', { file: notes });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(JSON.stringify(refused)).toContain('nothing was changed');
    expect((await call<{ id: string }[]>(engine, 'connections:list')).map((c) => c.id)).toEqual(['moodle-a']);
  });

  it('refuses a restore while a KAMAR push answered "OK" is not yet stored (the backup does not have it)', async () => {
    const dataDir = tempDir();
    const engine = engineIn(dataDir, 'service');
    const backup = await call<{ file: string }>(engine, 'database:backup');
    engine.store.kamarSpool.append({
      runId: 'run-1',
      sync: 'part',
      index: 1,
      receivedAt: Date.now(),
      digest: 'd1',
      body: '{}',
    });
    const refused = await engine.api.dispatch('database:restore', { file: backup.file });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(JSON.stringify(refused)).toContain('KAMAR push is being received');
    expect(engine.store.kamarSpool.count()).toBe(1);
  });
});
