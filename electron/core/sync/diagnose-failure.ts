import { LmsError, type LmsAdapter } from '../../../adapters/contract';
import { diagnose, type Diagnosis } from '../schedule';
import type { Store } from '../store/store';

/** The record kind of a run error that is about the connection, not one record. */
export const CONNECTION_ERROR_KIND = 'connection';

/**
 * Why a run could not talk to the LMS, in words and with the fix. When the LMS still answers
 * `core_webservice_get_site_info`, its list of allowed functions names exactly what the token may
 * no longer call; when even that fails, the error itself says enough (token, host, certificate).
 */
export async function diagnoseFailure(adapter: LmsAdapter, error: unknown, lmsName: string): Promise<Diagnosis> {
  if (error instanceof LmsError && (error.kind === 'access' || error.kind === 'no-permission')) {
    const site = await adapter.describe().catch(() => undefined);
    return diagnose(error, { lmsName, ...(site ? { site } : {}) });
  }
  return diagnose(error, { lmsName });
}

/** Records the diagnosis on the run as its connection error: health and the Errors page read it from there. */
export function recordDiagnosis(store: Store, runId: number, connectionId: string, diagnosis: Diagnosis): void {
  store.runs.addError(runId, {
    recordKind: CONNECTION_ERROR_KIND,
    recordKey: connectionId,
    message: diagnosis.summary,
    fix: diagnosis.fix,
  });
}
