/**
 * Why the database could not be opened. Each message tells an administrator what happened and
 * what to do; in every case the file has been left exactly as it was.
 */
export type StoreErrorCode = 'newer-version' | 'corrupt' | 'not-classbridge' | 'locked' | 'unreadable';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** better-sqlite3 throws SqliteError with a `code` such as SQLITE_BUSY or SQLITE_NOTADB. */
export function sqliteCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

export function classifyOpenError(err: unknown, file: string): StoreError | undefined {
  const code = sqliteCode(err) ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'locked',
      `The ClassBridge database ${file} is locked by another program. Close other copies of ClassBridge ` +
        `(or any tool that has the file open) and try again. Nothing was changed.`,
      file,
      { cause: err },
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(
      'corrupt',
      `The ClassBridge database ${file} is damaged or is not a database. It has not been changed. ` +
        `Restore the newest backup from the same folder (files named *.backup-*), or move the file ` +
        `away to start again with an empty database.`,
      file,
      { cause: err },
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code.startsWith('SQLITE_IOERR')) {
    return new StoreError(
      'unreadable',
      `ClassBridge cannot open its database ${file} for writing (${code}). Check that the folder exists ` +
        `and that this user may write to it.`,
      file,
      { cause: err },
    );
  }
  return undefined;
}
