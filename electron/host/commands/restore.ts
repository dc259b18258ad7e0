import { resolve } from 'node:path';
import { databaseFile } from '../../core/paths/data-dir';
import { restoreDatabase, RestoreRefused } from '../../core/store/backup';
import { CommandFailed, type Output } from './output';

/**
 * `classbridge restore <file>`: puts a backup in place of the database. The backup is checked in
 * full first; the current database is kept aside (never deleted); the message says what the restored
 * copy does not have. Refused while another ClassBridge process is writing to an LMS.
 */
export async function restoreCommand(dataDir: string, file: string, out: Output): Promise<void> {
  try {
    const result = await restoreDatabase({ file: databaseFile(dataDir), source: resolve(file) });
    out.result(result, () => out.line(result.message));
  } catch (err) {
    if (err instanceof RestoreRefused) throw new CommandFailed(err.message);
    throw err;
  }
}
