import Database from 'better-sqlite3';
import { cpSync, openSync, closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { doctorCommand, type Check } from '../../host/commands/doctor';
import type { Output } from '../../host/commands/output';
import { databaseFile } from '../paths/data-dir';
import { MemorySecretStore } from '../secrets';
import {
  connectionFor,
  startMoodleSim,
  syntheticSchool,
  writeRequests,
  type MoodleSim,
} from '../../test-support/upload-harness';
import type { Status } from '../contract/contract';
import { createEngine } from '../engine/engine';
import { createLogger } from '../logging/logger';
import { runPart } from '../sync/run-part';
import { integrityAtOpen } from './integrity';
import { openStore, type Store } from './store';
import { useTempDirs } from '../../test-support/temp';

/**
 * Issue 22 item 6: a page of a real, populated database overwritten with garbage (as a failing disk
 * or a bad copy does), in each family of tables, is caught by doctor and by the check before any run
 * that writes to the LMS: the simulator sees no request at all, and the run says how to restore.
 */
const tempDir = useTempDirs();
// The engine's own logger, writing nowhere (no log folder): these tests check outcomes, not log lines.
const silentEngineLogger = createLogger(undefined);
let sim: MoodleSim;
let clean: string;

/** The table families a school cannot rebuild (and the snapshot and run history beside them). */
const FAMILIES: Record<string, string> = {
  'SMS snapshot': 'people',
  'snapshot enrolments': 'enrolments',
  links: 'links',
  'course decisions': 'lms_courses',
  'what was applied': 'applied_state',
  'held plans': 'held_plans',
  'run history': 'runs',
};

beforeEach(async () => {
  sim = await startMoodleSim();
  clean = join(tempDir(), 'data');
  const store = openStore({ file: databaseFile(clean) });
  const connection = connectionFor(sim);
  store.connections.save(connection);
  // The safety rail would hold the second export's moves; this test is about the database, not the rail.
  const settings = store.settings.get();
  store.settings.save({
    ...settings,
    safety: { ...settings.safety, maxRemovalPercent: 100, maxRemovalCount: 100_000, maxCourseRemovalPercent: 100 },
  });
  store.snapshot.replace(syntheticSchool(40, 4), 'first export');
  const deps = { store, secrets: await secrets(), logger: silentLogger, dataDir: clean };
  expect((await runPart(deps, connection.id, 'upload', 'manual')).outcome).toBe('ok');
  expect((await runPart(deps, connection.id, 'course-tracking', 'manual')).outcome).toBe('ok');
  // A newer export with more students: the next upload has writes to send, so 0 writes means stopped.
  store.snapshot.replace(syntheticSchool(60, 5), 'second export');
  store.close();
});
afterEach(async () => {
  await sim.close();
});

async function secrets(): Promise<MemorySecretStore> {
  const s = new MemorySecretStore();
  await s.set(connectionFor(sim).id, 'token', sim.token);
  return s;
}

/** A copy of the clean data folder with one page of `table` (a middle one, by dbstat) overwritten. */
function damagedCopy(table: string): { dataDir: string; page: number } {
  const dataDir = join(tempDir(), 'data');
  cpSync(clean, dataDir, { recursive: true });
  const file = databaseFile(dataDir);
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = (
    db.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno').all(table) as { pageno: number }[]
  ).map((r) => r.pageno);
  db.close();
  expect(pages.length, `${table} has pages`).toBeGreaterThan(0);
  const page = pages[Math.floor(pages.length / 2)] ?? 1;
  const garbage = Buffer.alloc(pageSize);
  for (let i = 0; i < pageSize; i++) garbage[i] = (i * 131 + page * 17 + 7) & 0xff;
  const fd = openSync(file, 'r+');
  writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
  return { dataDir, page };
}

async function doctorChecks(dataDir: string): Promise<Check[]> {
  let value: { checks: Check[] } | undefined;
  const out: Output = { json: true, line: () => undefined, result: (v) => (value = v as { checks: Check[] }) };
  await doctorCommand(dataDir, out).catch(() => undefined);
  if (!value) throw new Error('doctor reported nothing');
  return value.checks;
}

describe('a damaged database is caught before anything is written to the LMS', () => {
  it('control: the undamaged copy does send writes on the next upload', async () => {
    const dataDir = join(tempDir(), 'data');
    cpSync(clean, dataDir, { recursive: true });
    const store = openStore({ file: databaseFile(dataDir) });
    try {
      expect(integrityAtOpen(store.db)?.ok).toBe(true);
      sim.resetCounters();
      const outcome = await runPart(
        { store, secrets: await secrets(), logger: silentLogger, dataDir },
        connectionFor(sim).id,
        'upload',
        'manual',
      );
      expect(outcome.outcome).toBe('ok');
      expect(writeRequests(sim)).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });

  for (const [family, table] of Object.entries(FAMILIES)) {
    it(`a page of ${family} (${table}): doctor FAILs Database, upload and reconcile send nothing`, async () => {
      const { dataDir, page } = damagedCopy(table);
      const checks = await doctorChecks(dataDir);
      const database = checks.find((c) => c.check === 'Database');
      expect(database?.ok, `page ${page}`).toBe(false);
      expect(database?.detail).toContain('is damaged');
      expect(database?.fix).toContain('classbridge restore');

      // The whole engine starts (so the app and `serve` can show the problem), even with run history damaged.
      const engine = createEngine({ dataDir, mode: 'service', logger: silentEngineLogger, secrets: await secrets() });
      try {
        // The dry run does not plan from it either: it says what to restore.
        const preview = await engine.api.dispatch('sync:preview', { connectionId: connectionFor(sim).id });
        expect(preview).toMatchObject({ ok: false, error: { code: 'conflict' } });
        expect(JSON.stringify(preview)).toContain('The ClassBridge database is damaged');
        // The dashboard says it from the start: every part that writes to an LMS is a problem, in words.
        // (What can be read still is: a damaged table only loses its own part of the status.)
        const status = await engine.api.dispatch('status:get', {});
        expect(status.ok, JSON.stringify(status)).toBe(true);
        const parts = status.ok ? ((status.result as Status).lms[0]?.parts ?? []) : [];
        expect(parts.find((p) => p.part === 'upload')).toMatchObject({
          health: 'problem',
          words: expect.stringContaining('is damaged'),
        });
        expect(parts.find((p) => p.part === 'results')?.words).not.toContain('is damaged');
      } finally {
        await engine.close();
      }
      // The engine still opens (so the app can show the problem); the check at opening saw it.
      const store: Store = openStore({ file: databaseFile(dataDir) });
      try {
        expect(integrityAtOpen(store.db)?.ok).toBe(false);
        sim.resetCounters();
        const deps = { store, secrets: await secrets(), logger: silentLogger, dataDir };
        for (const part of ['upload', 'reconcile'] as const) {
          const outcome = await runPart(deps, connectionFor(sim).id, part, 'manual');
          expect(outcome.outcome).toBe('failed');
          expect(outcome.message).toMatch(
            /^The ClassBridge database is damaged \(.+\): restore the newest backup with `classbridge restore /,
          );
          if (table !== 'runs') {
            // Recorded as the part's failed run with the fix, which is what the dashboard and tray show.
            const run = store.runs.last(connectionFor(sim).id, part);
            expect(run?.outcome).toBe('failed');
            expect(run?.message).toBe(outcome.message);
          }
        }
        expect(sim.requestCount()).toBe(0);
        expect(writeRequests(sim)).toBe(0);
      } finally {
        store.close();
      }
    });
  }
});
