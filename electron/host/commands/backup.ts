import { databaseFile } from '../../core/paths/data-dir';
import { backupDatabase } from '../../core/store/backup';
import { DatabaseDamagedError } from '../../core/store/integrity';
import { openStore } from '../../core/store/store';
import { CommandFailed, type Output } from './output';

/**
 * `classbridge backup`: today's backup now, through SQLite's online backup API, so it is safe while
 * the app or `classbridge serve` is running. The same file the daily backup writes (one per day: a
 * second backup the same day replaces the first); older ones beyond the setting are pruned.
 */
export async function backupCommand(dataDir: string, out: Output): Promise<void> {
  const store = openStore({ file: databaseFile(dataDir) });
  try {
    const result = await backupDatabase(store);
    out.result(result, () => {
      out.line(`Backed up ${store.file} to ${result.file} (${Math.ceil(result.bytes / 1024)} KB).`);
      for (const file of result.pruned)
        out.line(`Removed ${file} (older than ${store.settings.get().backups.keepDays} days).`);
    });
  } catch (err) {
    if (err instanceof DatabaseDamagedError)
      throw new CommandFailed(`${err.message} No backup was taken, so the existing ones are kept.`);
    throw err;
  } finally {
    store.close();
  }
}
