import type { Migration } from './types';

/** The parts the upload was split into before this migration. */
const OLD_UPLOAD_PARTS = ['profiles', 'courses', 'enrolments'];

/**
 * The upload is one part, `upload` (issue 14): before, it was three parts (profiles, courses,
 * enrolments), and the engine scheduled and ran only `enrolments`, the whole upload, while the wizard
 * wrote a schedule for each of the three. Carried over:
 *
 * - runs, their errors, held plans and write leases of the three parts become `upload` runs (an SMS
 *   import, recorded as a `profiles` run with no LMS connection, is an `upload` run with none);
 * - the schedules (the school's settings and each connection's overrides): the `enrolments` schedule
 *   becomes the upload's, because it is the one the engine ran. A `profiles` or `courses` schedule is
 *   dropped, also where it differed from the enrolments one: it never ran anything;
 * - held plans: the upload keeps at most one plan waiting (pending or approved) per connection, as a
 *   run holding a new plan leaves it; where two of the old parts each had one, the newest stays and the
 *   older are superseded.
 *
 * Values are written here, not through the model's schemas, so this step stays what it is when the
 * model changes later.
 */
export const migration016: Migration = {
  version: 16,
  name: 'upload-part',
  up(db) {
    const old = JSON.stringify(OLD_UPLOAD_PARTS);
    for (const table of ['runs', 'run_errors', 'held_plans', 'write_leases'])
      db.prepare(`UPDATE ${table} SET part = 'upload' WHERE part IN (SELECT value FROM json_each(?))`).run(old);

    db.prepare(
      `UPDATE held_plans SET state = 'superseded', decided_at = ?
       WHERE part = 'upload' AND state IN ('pending', 'approved')
         AND id < (SELECT max(newer.id) FROM held_plans AS newer
                   WHERE newer.connection_id = held_plans.connection_id AND newer.part = 'upload'
                     AND newer.state IN ('pending', 'approved'))`,
    ).run(new Date().toISOString());

    const settings = db.prepare("SELECT value FROM settings WHERE key = 'schedules'").get() as
      { value: string } | undefined;
    if (settings) {
      const mapped = withUploadSchedule(JSON.parse(settings.value) as unknown);
      if (mapped) db.prepare("UPDATE settings SET value = ? WHERE key = 'schedules'").run(JSON.stringify(mapped));
    }

    const connections = db.prepare('SELECT id, config FROM connections').all() as { id: string; config: string }[];
    const saveConfig = db.prepare('UPDATE connections SET config = ? WHERE id = ?');
    for (const connection of connections) {
      const config = JSON.parse(connection.config) as Record<string, unknown>;
      const mapped = withUploadSchedule(config.schedules);
      if (mapped) saveConfig.run(JSON.stringify({ ...config, schedules: mapped }), connection.id);
    }
  },
};

/** The schedules with the enrolments one as the upload's and no profiles or courses; undefined when nothing changes. */
function withUploadSchedule(schedules: unknown): Record<string, unknown> | undefined {
  if (typeof schedules !== 'object' || schedules === null || Array.isArray(schedules)) return undefined;
  const old = schedules as Record<string, unknown>;
  if (!OLD_UPLOAD_PARTS.some((part) => part in old)) return undefined;
  const next: Record<string, unknown> = {};
  // A schedule already named `upload` (written by a newer file) wins over the old enrolments one.
  if (old.enrolments !== undefined) next.upload = old.enrolments;
  for (const [part, schedule] of Object.entries(old)) if (!OLD_UPLOAD_PARTS.includes(part)) next[part] = schedule;
  return next;
}
