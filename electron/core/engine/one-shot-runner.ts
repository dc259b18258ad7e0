import type { ApiDeps } from '../api/handlers';
import { PART_OF_SYNC_TARGET } from '../model';
import { runPart, type PartRunDeps } from '../sync/run-part';

/**
 * The Api's `sync` dependency in a one-shot command (`classbridge sync`, Retry from `errors retry`):
 * no scheduler, so each call runs the part now, in this process, recorded like the app's manual runs.
 * Another process writing to the same LMS is waited for or named, as the call asks.
 */
export function oneShotRunner(
  deps: PartRunDeps,
  onWaiting: (connectionId: string, message: string) => void,
): NonNullable<ApiDeps['sync']> {
  return {
    async runNow(target, connectionId, options = {}) {
      const ids = deps.store.connections
        .list()
        .filter((c) => c.kind === 'lms' && (connectionId === undefined || c.id === connectionId))
        .map((c) => c.id);
      const results = [];
      for (const id of ids)
        results.push({
          connectionId: id,
          ...(await runPart(deps, id, PART_OF_SYNC_TARGET[target], 'manual', {
            ...(options.only ? { only: options.only } : {}),
            whenBusy: options.ifBusy ?? 'wait',
            onWaiting: (message) => onWaiting(id, message),
          })),
        });
      return results;
    },
    retryRecord: (connectionId, part, record) => runPart(deps, connectionId, part, 'manual', { onlyRecord: record }),
    nextRun: () => undefined,
    progressOf: () => undefined,
  };
}
