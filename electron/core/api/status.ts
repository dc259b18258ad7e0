import { PARTS, SMS_PROVIDER_INFO, type Part } from '../model';
import { partHealth, summariseRuns } from '../schedule';
import type { Store } from '../store/store';
import type { Status } from './contract';

/** The dashboard's status: setup, each part's health per LMS (schedule/health.ts decides), counts. */
export function buildStatus(
  store: Store,
  receiver: Status['receiver'] = null,
  now = new Date(),
  scheduler?: {
    nextRun(connectionId: string, part: Part): Date | undefined;
    progressOf(connectionId: string, part: Part): { done: number; total: number } | undefined;
  },
): Status {
  const settings = store.settings.get();
  const connections = store.connections.list();
  const sms = connections.find((c) => c.kind === 'sms');
  const lms = connections.filter((c) => c.kind === 'lms');
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
        const runs = store.runs.list({ connectionId: c.id, part, limit: 50 });
        const history = summariseRuns(runs);
        const lastFinished = history.lastFinished ?? runs[0];
        const cause = lastFinished?.outcome === 'failed' ? store.runs.connectionError(lastFinished.id) : undefined;
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
    openErrors: store.runs.countOpenErrors(),
    heldPlans: store.heldPlans
      .list()
      .map(({ id, connectionId, part, message, createdAt }) => ({ id, connectionId, part, message, createdAt })),
    openLinkDecisions: store.linkDecisions.countOpen(),
    courses: store.lmsCourses.countByState(),
    snapshot: store.snapshot.meta() ?? null,
    lastImport: lastImport(store),
  };
}

/** The newest SMS import run (a file, a push, an upload), stored or refused. */
function lastImport(store: Store): Status['lastImport'] {
  const run = store.runs.last(null, 'profiles');
  if (!run) return null;
  return { startedAt: run.startedAt, outcome: run.outcome, message: run.message };
}
