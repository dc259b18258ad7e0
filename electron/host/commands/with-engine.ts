import type { ApiInput, ApiMethod, ApiOutput } from '../../core/contract/contract';
import { createEngine, type Engine } from '../../core/engine/engine';
import { CommandFailed } from './output';

/**
 * Runs a one-shot command against an in-process engine (createEngine in one-shot mode: the same Api
 * as the app's, where a run asked for runs now in this process), always closing the database after.
 */
export async function withEngine<T>(dataDir: string, run: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = createEngine({ dataDir, mode: 'one-shot' });
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
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
