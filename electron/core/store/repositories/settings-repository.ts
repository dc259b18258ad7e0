import type { Database } from 'better-sqlite3';
import { SettingsSchema, type Settings } from '../../model';

/** School-wide settings, one row per top-level key so later versions can add keys freely. */
export class SettingsRepository {
  constructor(private readonly db: Database) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const raw: Record<string, unknown> = {};
    for (const row of rows) raw[row.key] = JSON.parse(row.value);
    const parsed = SettingsSchema.safeParse(raw);
    if (!parsed.success) {
      // Stored settings are written only through save(), so this means hand edits or a bug;
      // say which key so it can be fixed, instead of silently resetting the admin's choices.
      const first = parsed.error.issues[0];
      throw new Error(`Stored setting "${first?.path.join('.') ?? '?'}" is invalid: ${first?.message ?? ''}`);
    }
    return parsed.data;
  }

  /** Replaces the settings with a complete, already validated object. */
  save(settings: Settings): void {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    const remove = this.db.prepare('DELETE FROM settings WHERE key = ?');
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(settings)) {
        if (value === undefined) remove.run(key);
        else upsert.run(key, JSON.stringify(value));
      }
    })();
  }
}
