import { PARTS, SMS_PROVIDER_INFO, type Part } from '../model';
import { partHealth, summariseRuns } from '../schedule';
import type { Store } from '../store/store';
import { damagedDatabaseMessage, integrityAtOpen } from '../store/integrity';
import type { Status } from '../contract/contract';
import { lateSourceOf } from '../alerts/late-source';
import { WAITING_FOR_TOKEN } from '../sync/token-gate/token-gate';

/** The parts that write to an LMS, which a damaged database stops. */
const WRITES_TO_LMS = new Set<Part>(['upload', 'reconcile']);

/** The dashboard's status: setup, each part's health per LMS (schedule/health.ts decides), counts. */
export function buildStatus(
  store: Store,
  receiver: Status['receiver'] = null,
  now = new Date(),
  scheduler?: {
    nextRun(connectionId: string, part: Part): Date | undefined;
    progressOf(
      connectionId: string,
      part: Part,
    ): { done: number; total: number; perMinute?: number | null } | undefined;
    /** An LMS the scheduler leaves out until its token is stored (sync/token-gate). */
    waitingForToken?(connectionId: string): boolean;
  },
): Status {
  const settings = store.settings.get();
  const connections = store.connections.list();
  const sms = connections.find((c) => c.kind === 'sms');
  const lms = connections.filter((c) => c.kind === 'lms');
  // A damaged database stops every part that writes to an LMS (run-part.ts): say so on those parts from
  // the moment the engine opened it, not only once a run has tried and failed.
  const integrity = integrityAtOpen(store.db);
  const damage =
    integrity && !integrity.ok
      ? {
          words: damagedDatabaseMessage(store.file, integrity),
          fix: 'Run `classbridge doctor` to see what is damaged.',
        }
      : undefined;
  // On a damaged file a read can fail ("database disk image is malformed"): the dashboard still gets a
  // status that says so, with what could be read, rather than an error page.
  const read = <T>(get: () => T, fallback: T): T => {
    if (!damage) return get();
    try {
      return get();
    } catch {
      return fallback;
    }
  };
  return {
    setUp: lms.length > 0 && (!settings.useSms || sms !== undefined),
    paused: settings.paused,
    useSms: settings.useSms,
    sms: sms
      ? { id: sms.id, name: sms.name, provider: sms.provider, providerLabel: SMS_PROVIDER_INFO[sms.provider].label }
      : null,
    lms: lms.map((c) => ({
      id: c.id,
      name: c.name,
      provider: c.provider,
      url: c.url,
      parts: PARTS.map((part) => {
        const runs = read(() => store.runs.list({ connectionId: c.id, part, limit: 50 }), []);
        const history = summariseRuns(runs);
        const lastFinished = history.lastFinished ?? runs[0];
        const cause =
          lastFinished?.outcome === 'failed'
            ? read(() => store.runs.connectionError(lastFinished.id), undefined)
            : undefined;
        const health = partHealth({
          ...(cause ? { diagnosis: { summary: cause.message, fix: cause.fix } } : {}),
          ...(lastFinished ? { lastRun: lastFinished } : {}),
          ...(history.lastSuccess ? { lastSuccess: history.lastSuccess } : {}),
          ...(history.failingSince ? { failingSince: history.failingSince } : {}),
          running: history.running,
          now,
          problemAfterMinutes: settings.problemAfterMinutes,
          lmsName: c.name,
        });
        if (!history.running && scheduler?.waitingForToken?.(c.id)) {
          health.health = 'warning';
          health.words = WAITING_FOR_TOKEN.words;
          health.fix = WAITING_FOR_TOKEN.fix;
        }
        if (damage && WRITES_TO_LMS.has(part)) {
          health.health = 'problem';
          health.words = damage.words;
          health.fix = damage.fix;
        }
        return {
          part,
          health: health.health,
          words: health.words,
          ...(health.fix ? { fix: health.fix } : {}),
          lastRun: runs[0] ?? null,
          nextRun: scheduler?.nextRun(c.id, part)?.toISOString() ?? null,
          progress: scheduler?.progressOf(c.id, part) ?? null,
        };
      }),
    })),
    receiver,
    openErrors: read(() => store.runs.countOpenErrors(), 0),
    heldPlans: read(
      () =>
        store.heldPlans
          .list()
          .map(({ id, connectionId, part, message, createdAt }) => ({ id, connectionId, part, message, createdAt })),
      [],
    ),
    openLinkDecisions: read(() => store.linkDecisions.countOpen(), 0),
    kamarChunksKept: read(() => store.kamarSpool.count(), 0),
    courses: read(() => store.lmsCourses.countByState(), { New: 0, Open: 0, Closed: 0, Deleted: 0 }),
    snapshot: read(() => store.snapshot.meta() ?? null, null),
    lastImport: read(() => lastImport(store), null),
    lateSource: read(() => lateSourceOf(store, now), null),
  };
}

/** The newest SMS import run (a file, a push, an upload), stored or refused: an upload run with no LMS. */
function lastImport(store: Store): Status['lastImport'] {
  const run = store.runs.last(null, 'upload');
  if (!run) return null;
  return { startedAt: run.startedAt, outcome: run.outcome, message: run.message };
}
