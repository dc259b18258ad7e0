import Database from 'better-sqlite3';
import { closeSync, openSync, readdirSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../adapters/contract';
import { SettingsSchema } from '../model';
import { syntheticSchool } from '../../test-support/upload-harness';
import { useTempDirs } from '../../test-support/temp';
import { backupDatabase, checkBeforeLmsWrite } from './backup';
import { backupsFolder, DatabaseDamagedError } from './integrity';
import { openStore } from './store';

/** Issue 22 item 7: the daily backup (taken by the first run of the day that writes to an LMS) and its keeping. */
const tempDir = useTempDirs();
const day = (n: number) => new Date(Date.UTC(2026, 11, 1 + n, 10, 0, 0));

describe('daily backups', () => {
  it('the first LMS-writing run of each day backs up; a setting decides how many days are kept', async () => {
    const store = openStore({ file: join(tempDir(), 'classbridge.db') });
    try {
      store.snapshot.replace(syntheticSchool(20, 2), 'test');
      store.settings.save({ ...store.settings.get(), backups: { keepDays: 3 } });
      for (let n = 0; n < 8; n++) {
        // Two runs a day: one backup a day. Course tracking only reads, so it takes none.
        expect(await checkBeforeLmsWrite(store, 'course-tracking', silentLogger, () => day(n))).toBeUndefined();
        expect(await checkBeforeLmsWrite(store, 'upload', silentLogger, () => day(n))).toBeUndefined();
        expect(await checkBeforeLmsWrite(store, 'reconcile', silentLogger, () => day(n))).toBeUndefined();
      }
      const kept = readdirSync(backupsFolder(store.file)).sort();
      expect(kept).toEqual([
        'classbridge-2026-12-05.db',
        'classbridge-2026-12-06.db',
        'classbridge-2026-12-07.db',
        'classbridge-2026-12-08.db',
      ]);
      const copy = new Database(join(backupsFolder(store.file), kept.at(-1) ?? ''), { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('SELECT count(*) AS n FROM people').get() as { n: number }).n).toBeGreaterThan(0);
      copy.close();
    } finally {
      store.close();
    }
  });

  it('keeps 14 days by default and accepts only 1–366', () => {
    expect(SettingsSchema.parse({}).backups.keepDays).toBe(14);
    expect(SettingsSchema.safeParse({ backups: { keepDays: 0 } }).success).toBe(false);
    expect(SettingsSchema.safeParse({ backups: { keepDays: 2.5 } }).success).toBe(false);
  });

  it('never backs up a damaged database, so the good backups are kept', async () => {
    const file = join(tempDir(), 'classbridge.db');
    let store = openStore({ file });
    store.snapshot.replace(syntheticSchool(60, 3), 'test');
    const good = await backupDatabase(store, { now: () => day(0) });
    store.close();
    const db = new Database(file, { readonly: true });
    const { pageno } = db.prepare("SELECT max(pageno) AS pageno FROM dbstat WHERE name = 'people'").get() as {
      pageno: number;
    };
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (pageno - 1) * pageSize);
    closeSync(fd);
    store = openStore({ file });
    try {
      await expect(backupDatabase(store, { now: () => day(20) })).rejects.toBeInstanceOf(DatabaseDamagedError);
      const refused = await checkBeforeLmsWrite(store, 'upload', silentLogger, () => day(20));
      expect(refused?.message).toMatch(/^The ClassBridge database is damaged \(in people; /);
      expect(refused?.message).toContain(`classbridge restore ${good.file}`);
      expect(readdirSync(backupsFolder(file))).toEqual([basename(good.file)]);
    } finally {
      store.close();
    }
  });
});
