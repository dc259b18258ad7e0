import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test-support/temp';
import { openStore } from './store';

const tempDir = useTempDirs();

// Issue 22 item 4: the database (and the KAMAR spool in it) is readable by this user only.
describe.skipIf(process.platform === 'win32')('the database file', () => {
  it('is readable and writable by its owner only, WAL files included', () => {
    const file = join(tempDir(), 'classbridge.db');
    const store = openStore({ file });
    try {
      store.settings.save(store.settings.get()); // a write, so the WAL file exists
      for (const f of [file, `${file}-wal`]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    } finally {
      store.close();
    }
  });
});
