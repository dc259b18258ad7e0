import type { Database } from 'better-sqlite3';

/**
 * The data folder's identity (migration 011): a random id made once, in the database, that keys the
 * folder's secrets in the OS keychain. Random and stored, not derived from the folder's path: a
 * folder moved or restored to another path keeps its tokens, and two folders never share one because
 * their paths once matched (a deleted and re-created folder is a new install with a new id). A copy
 * of the folder's database is a copy of that install (its links to LMS records too) and shares its
 * tokens on the same computer, as intended for a restored backup.
 */
export class DataFolderRepository {
  constructor(private readonly db: Database) {}

  /** The folder's id: letters, digits and dashes (a UUID). */
  get id(): string {
    return (this.db.prepare('SELECT id FROM data_folder').get() as { id: string }).id;
  }

  /**
   * The keychain entries from before per-folder keys (shared by every folder): 'pending' while this
   * folder (which had connections when it was upgraded) may still adopt them, 'adopted' once it has,
   * 'none' for a folder that never had any.
   */
  sharedSecrets(): 'none' | 'pending' | 'adopted' {
    const row = this.db.prepare('SELECT shared_secrets FROM data_folder').get() as {
      shared_secrets: 'none' | 'pending' | 'adopted';
    };
    return row.shared_secrets;
  }

  /** The folder's connections adopted their shared keychain entries: never copy from those again. */
  markSharedSecretsAdopted(): void {
    this.db.prepare("UPDATE data_folder SET shared_secrets = 'adopted' WHERE shared_secrets = 'pending'").run();
  }
}
