/**
 * A late SMS source: every sync "succeeds" on stale data when the SMS simply stopped sending. The
 * usual cadence is learnt from the intake history (the SMS import runs: KAMAR pushes, watched and
 * uploaded exports; sms/intake.ts records each as an upload run with no LMS), or set by the admin
 * (`settings.alerts.lateSource`). Read by the Status (dashboard, tray) and the alerts.
 */
import { DateTime } from 'luxon';
import { SMS_PROVIDER_INFO, type AlertSettings, type LateSource, type SmsProvider } from '../model';
import type { Store } from '../store/store';

/** Fewer gaps than this and nothing is learnt: three nights of pushes say little about a fourth. */
export const MIN_GAPS = 3;
/** How many of the latest imports the cadence is learnt from. */
const HISTORY = 30;
/** Late after the usual gap times this, plus LATE_SLACK_HOURS (a push that runs a little late is not). */
export const LATE_FACTOR = 1.5;
export const LATE_SLACK_HOURS = 1;

export interface Intake {
  at: Date;
  /** The run's message, "Imported KAMAR full push (3 parts)." */
  message: string;
}

export interface LateInput {
  /** Stored imports, newest first. */
  intakes: readonly Intake[];
  provider: SmsProvider;
  settings: AlertSettings['lateSource'];
  timeZone: string;
  now: Date;
}

const HOUR = 3_600_000;

/**
 * The imports that set the cadence: KAMAR sends full pushes nightly and smaller ones (a student's
 * change, assessments) whenever; only the full ones are regular, so where there are full pushes
 * only they count.
 */
function regularIntakes(intakes: readonly Intake[]): { intakes: readonly Intake[]; what: string } {
  const full = intakes.filter((i) => / full push/.test(i.message));
  if (full.length > 0) return { intakes: full, what: 'full push' };
  const pushes = intakes.filter((i) => / push /.test(i.message));
  return pushes.length === intakes.length && pushes.length > 0
    ? { intakes, what: 'push' }
    : { intakes, what: 'import' };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The usual gap between imports in hours, or undefined while too few are known. */
export function learnCadence(intakes: readonly Intake[]): number | undefined {
  const times = intakes.slice(0, HISTORY).map((i) => i.at.getTime());
  const gaps: number[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const gap = ((times[i] ?? 0) - (times[i + 1] ?? 0)) / HOUR;
    // Two imports minutes apart (a push sent again by hand) are one delivery, not a cadence.
    if (gap >= 0.25) gaps.push(gap);
  }
  return gaps.length >= MIN_GAPS ? median(gaps) : undefined;
}

/** "every night", "every day", "every week", "every 6 hours", "every 3 days". */
export function describeCadence(hours: number, lastLocalHour: number): string {
  if (hours >= 20 && hours <= 28) return lastLocalHour >= 18 || lastLocalHour < 6 ? 'every night' : 'every day';
  if (hours >= 6 * 24 && hours <= 8 * 24) return 'every week';
  if (hours < 20) return `every ${Math.round(hours)} hour${Math.round(hours) === 1 ? '' : 's'}`;
  return `every ${Math.round(hours / 24)} days`;
}

function fixFor(provider: SmsProvider): string {
  if (provider === 'kamar')
    return 'Check KAMAR → Setup → Server → Directory Services: that the service is on and its last result; "Run Now" sends a push. Check that the KAMAR server still reaches this ClassBridge (the receiver on the dashboard).';
  return 'Check that the SMS still writes its export (its scheduled export task, and the folder ClassBridge watches), or import one by hand: `classbridge import <file>`.';
}

/** The late source, or null when the SMS sends as usual (or too little is known to say). */
export function lateSource(input: LateInput): LateSource | null {
  const { settings, now, timeZone } = input;
  if (settings.mode === 'off') return null;
  const { intakes, what } = regularIntakes(input.intakes);
  const last = intakes[0];
  if (!last) return null;
  const learnt = settings.mode === 'learn';
  const every = learnt ? learnCadence(intakes) : settings.everyHours;
  if (every === undefined) return null;
  const lateAfter = learnt ? every * LATE_FACTOR + LATE_SLACK_HOURS : every;
  const elapsed = (now.getTime() - last.at.getTime()) / HOUR;
  if (elapsed <= lateAfter) return null;
  const label = SMS_PROVIDER_INFO[input.provider].label;
  const source = `${label} ${what}`;
  const local = DateTime.fromJSDate(last.at).setZone(timeZone);
  const ageDays = DateTime.fromJSDate(now).setZone(timeZone).startOf('day').diff(local.startOf('day'), 'days').days;
  const when = ageDays < 7 ? local.toFormat('cccc HH:mm') : local.toFormat('cccc d LLLL HH:mm');
  const usual = learnt
    ? `usually ${describeCadence(every, local.hour)}`
    : `expected ${describeCadence(every, local.hour)}`;
  return {
    source,
    lastAt: last.at.toISOString(),
    everyHours: Math.round(every * 10) / 10,
    learnt,
    words: `No ${source} since ${when} — ${usual}.`,
    fix: fixFor(input.provider),
  };
}

/** The stored SMS imports, newest first (a refused one is no delivery of data). */
export function storedIntakes(store: Store, limit = HISTORY + 1): Intake[] {
  const rows = store.db
    .prepare(
      `SELECT started_at, message FROM runs
       WHERE connection_id IS NULL AND part = 'upload' AND outcome = 'ok'
       ORDER BY started_at DESC, id DESC LIMIT ?`,
    )
    .all(limit) as { started_at: string; message: string | null }[];
  return rows.map((r) => ({ at: new Date(r.started_at), message: r.message ?? '' }));
}

/** The Status's late source: the SMS connection's imports against the settings. */
export function lateSourceOf(store: Store, now: Date): LateSource | null {
  const settings = store.settings.get();
  if (!settings.useSms) return null;
  const sms = store.connections.list().find((c) => c.kind === 'sms');
  if (!sms || sms.kind !== 'sms') return null;
  return lateSource({
    intakes: storedIntakes(store),
    provider: sms.provider,
    settings: settings.alerts.lateSource,
    timeZone: settings.timeZone,
    now,
  });
}
