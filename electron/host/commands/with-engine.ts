import type { ApiInput, ApiMethod, ApiOutput } from '../../core/contract/contract';
import type { ApiDeps } from '../../core/api/handlers';
import { createEngine, type Engine } from '../../core/engine/engine';
import type { Part } from '../../core/model';
import { runPart, type PartRunDeps } from '../../core/sync/run-part';
import { CommandFailed } from './output';

/** What each "run now" target of the Api runs, as the scheduler maps it (sync-service.ts). */
export const PART_OF_SYNC_TARGET = {
  upload: 'enrolments',
  download: 'results',
  'course-tracking': 'course-tracking',
  reconcile: 'reconcile',
} as const satisfies Record<string, Part>;

export interface WithEngineOptions {
  /**
   * Let the Api run parts in this process (Retry on the Errors page needs it): a one-shot command has
   * no scheduler, so runs go straight to runPart, recorded like the app's manual runs.
   */
  runsHere?: boolean;
}

/** Runs a one-shot command against an in-process engine, always closing the database after. */
export async function withEngine<T>(
  dataDir: string,
  run: (engine: Engine) => Promise<T>,
  options: WithEngineOptions = {},
): Promise<T> {
  // The runner needs the engine's store and keychain, which exist only once the engine does.
  const holder: { engine?: Engine } = {};
  const deps = (): PartRunDeps => {
    const engine = holder.engine;
    if (!engine) throw new Error('The engine is not open.');
    return { store: engine.store, secrets: engine.secrets, logger: engine.logger, dataDir };
  };
  const engine = createEngine({ dataDir, ...(options.runsHere ? { sync: oneShotRunner(deps) } : {}) });
  holder.engine = engine;
  try {
    return await run(engine);
  } finally {
    engine.close();
  }
}

/** The Api's `sync` dependency without a scheduler: each call runs the part now, in this process. */
function oneShotRunner(deps: () => PartRunDeps): NonNullable<ApiDeps['sync']> {
  return {
    async runNow(target, connectionId) {
      const d = deps();
      const ids = d.store.connections
        .list()
        .filter((c) => c.kind === 'lms' && (connectionId === undefined || c.id === connectionId))
        .map((c) => c.id);
      const results = [];
      for (const id of ids)
        results.push({ connectionId: id, ...(await runPart(d, id, PART_OF_SYNC_TARGET[target], 'manual')) });
      return results;
    },
    retryRecord: (connectionId, part, record) => runPart(deps(), connectionId, part, 'manual', { onlyRecord: record }),
    nextRun: () => undefined,
    progressOf: () => undefined,
  };
}

/** Calls the Api in-process; an error answer becomes a failed command with the Api's message. */
export async function callApi<M extends ApiMethod>(
  engine: Engine,
  method: M,
  input: ApiInput<M>,
): Promise<ApiOutput<M>> {
  const response = await engine.api.dispatch(method, input);
  if (!response.ok) throw new CommandFailed(response.error.message, response.error);
  return response.result as ApiOutput<M>;
}
