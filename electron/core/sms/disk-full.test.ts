import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { combinedCsv } from '../../../adapters/testing/sms-fixtures/csv';
import { generateSchool } from '../../../adapters/testing/sms-fixtures/school';
import { MemorySecretStore } from '../secrets';
import { openStore, type Store } from '../store/store';
import { connectionFor, startMoodleSim, syntheticSchool, type MoodleSim } from '../../test-support/upload-harness';
import { runPart } from '../sync/run-part';
import { useTempDirs } from '../../test-support/temp';
import { runIntake } from './intake';
import { readExport } from './read-export';

/**
 * Issue 22 item 8: a full disk, in ClassBridge's words, with the previous SMS data kept. The disk is
 * made full in two ways: SQLite's own limit (`PRAGMA max_page_count` on the real database: SQLITE_FULL
 * exactly as a full disk gives it; runs everywhere), and, where this user may mount one, a real tmpfs
 * of a few MB filled to the brim.
 */
const tempDir = useTempDirs();
const FULL =
  /^The disk that holds (.+) is full \((\d+) MB free\): free space and import again\. The previous SMS data is kept\.$/;

function exportFile(dir: string, seed: number, students: number): string {
  const file = join(dir, `export-${seed}.csv`);
  writeFileSync(file, combinedCsv(generateSchool({ seed, size: { students, enrolmentsPerStudent: 5 } })));
  return file;
}

const importFrom = (store: Store, file: string) =>
  runIntake(
    { store, logger: silentLogger },
    { source: file, trigger: 'cli', read: () => readExport(file, { format: 'csv' }) },
  );

function state(store: Store) {
  return {
    meta: store.snapshot.meta(),
    people: store.db.prepare('SELECT count(*) AS n FROM people').get(),
    integrity: store.db.pragma('integrity_check', { simple: true }),
  };
}

describe('an import on a full disk', () => {
  it('SQLITE_FULL (max_page_count): ClassBridge names the disk and its free space; the previous snapshot is intact', async () => {
    const dir = tempDir();
    const store = openStore({ file: join(dir, 'data', 'classbridge.db') });
    try {
      expect((await importFrom(store, exportFile(dir, 1, 30))).ok).toBe(true);
      const before = state(store);
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      store.db.pragma(`max_page_count = ${pages}`);
      const outcome = await importFrom(store, exportFile(dir, 2, 600));
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.message).toMatch(FULL);
      expect(FULL.exec(outcome.message)?.[1]).toBe(join(dir, 'data'));
      expect(outcome.message).not.toContain('database or disk is full');
      store.db.pragma('max_page_count = 4294967294');
      expect(state(store)).toEqual({ ...before, integrity: 'ok' });
    } finally {
      store.close();
    }
  });

  it('a run on a full disk says so in the same words, and nothing was half-recorded', async () => {
    const sim: MoodleSim = await startMoodleSim();
    const dir = tempDir();
    const store = openStore({ file: join(dir, 'classbridge.db') });
    try {
      const connection = connectionFor(sim);
      store.connections.save(connection);
      store.snapshot.replace(syntheticSchool(200, 6), 'test');
      const secrets = new MemorySecretStore();
      await secrets.set(connection.id, 'token', sim.token);
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      store.db.pragma(`max_page_count = ${pages}`);
      const outcome = await runPart(
        { store, secrets, logger: silentLogger, dataDir: dir },
        connection.id,
        'upload',
        'manual',
      );
      expect(outcome.outcome).toBe('failed');
      expect(outcome.message).toMatch(/^The disk that holds .+ is full \(\d+ MB free\): free space and run it again\./);
      store.db.pragma('max_page_count = 4294967294');
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
      await sim.close();
    }
  });
});

/** A tmpfs needs mount rights (root in this container); elsewhere the max_page_count test stands for it. */
function tryMount(at: string, size: string): boolean {
  mkdirSync(at, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' }).status === 0;
}

describe('an import on a real full disk (tmpfs)', () => {
  let mountPoint: string | undefined;
  beforeEach(() => {
    const at = join(tempDir(), 'disk');
    mountPoint = tryMount(at, '3m') ? at : undefined;
  });
  afterEach(() => {
    if (mountPoint) spawnSync('umount', [mountPoint], { stdio: 'ignore' });
  });

  it('fills a 3 MB disk: the next import is refused in these words, the previous snapshot is kept', async (ctx) => {
    if (!mountPoint) ctx.skip();
    const disk = mountPoint ?? '';
    const dataDir = join(disk, 'data');
    const exports = tempDir();
    const store = openStore({ file: join(dataDir, 'classbridge.db') });
    try {
      expect((await importFrom(store, exportFile(exports, 1, 30))).ok).toBe(true);
      const before = state(store);
      // Fill what is left of the disk, as other programs' files do.
      const fd = openSync(join(disk, 'filler'), 'w');
      const block = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch {
        // ENOSPC: full.
      } finally {
        closeSync(fd);
      }
      const outcome = await importFrom(store, exportFile(exports, 2, 600));
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.message).toMatch(FULL);
      expect(state(store)).toEqual(before);
    } finally {
      store.close();
    }
  });
});
