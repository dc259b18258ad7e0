/**
 * The digest: once a day or a week, at the school's local time, what ran since the last one (per
 * LMS and part, from the runs repository), the SMS imports, the changes counted, the errors open
 * and the results delivered to the SMS. Sent even when all is well: silence from a digest is itself
 * the alarm that ClassBridge (or its server) has stopped.
 */
import { DateTime } from 'luxon';
import type { AlertSettings, Part, Run } from '../model';
import type { Store } from '../store/store';
import type { DigestDetails } from './alert-body';

/** The first digest moment after `since`, or undefined when the digest is off. */
export function nextDigestAt(since: Date, digest: AlertSettings['digest'], timeZone: string): Date | undefined {
  if (digest.every === 'off') return undefined;
  const [h = 0, m = 0] = digest.at.split(':').map(Number);
  const local = DateTime.fromJSDate(since).setZone(timeZone);
  let at = local.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  if (at <= local) at = at.plus({ days: 1 });
  if (digest.every === 'week') while (at.weekday !== digest.weekday) at = at.plus({ days: 1 });
  return at.toJSDate();
}

/** Counts that are not changes (sizes, totals) and stay out of the digest's "Changes" line. */
const NOT_CHANGES = new Set([
  'people',
  'courses',
  'groups',
  'enrolments',
  'warnings',
  'results',
  'unchanged',
  'waiting',
]);

/** The digest of runs that started in [from, to). */
export function digestOf(
  runs: readonly Run[],
  lmsNames: ReadonlyMap<string, string>,
  openErrors: number,
  from: Date,
  to: Date,
): DigestDetails {
  const inPeriod = runs.filter((r) => {
    const t = new Date(r.startedAt).getTime();
    return t >= from.getTime() && t < to.getTime() && r.outcome !== 'running';
  });
  const parts = new Map<string, DigestDetails['parts'][number]>();
  const counts: Record<string, number> = {};
  const imports = { ok: 0, failed: 0 };
  let resultsDelivered = 0;
  for (const run of inPeriod) {
    if (run.connectionId === null) {
      if (run.outcome === 'ok') imports.ok += 1;
      else if (run.outcome === 'failed') imports.failed += 1;
      continue;
    }
    const lms = lmsNames.get(run.connectionId) ?? run.connectionId;
    const key = `${run.connectionId}:${run.part}`;
    const entry = parts.get(key) ?? { lms, part: run.part as Part, ok: 0, partial: 0, failed: 0, held: 0 };
    if (run.outcome !== 'running') entry[run.outcome] += 1;
    parts.set(key, entry);
    if (run.part === 'results') resultsDelivered += run.counts.delivered ?? 0;
    else
      for (const [k, n] of Object.entries(run.counts))
        if (!NOT_CHANGES.has(k) && typeof n === 'number') counts[k] = (counts[k] ?? 0) + n;
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    parts: [...parts.values()],
    imports,
    counts,
    openErrors,
    resultsDelivered,
  };
}

/** The digest from the store: every run since `from` (a school's week is a few thousand runs at most). */
export function digestFromStore(store: Store, from: Date, to: Date): DigestDetails {
  const rows = store.runs.list({ limit: 20_000 }).filter((r) => new Date(r.startedAt) >= from);
  const lmsNames = new Map(store.connections.list().map((c) => [c.id, c.name]));
  return digestOf(rows, lmsNames, store.runs.countOpenErrors(), from, to);
}
