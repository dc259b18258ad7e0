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
  const diagnosis = diagnose(error, { lmsName });
  return error instanceof LmsError && RECORD_KINDS.has(error.kind) ? notAboutARecord(error, lmsName) : diagnosis;
}

/** Kinds whose stored fix is about one refused record (check its username, email, names in the SMS). */
const RECORD_KINDS: ReadonlySet<string> = new Set(['invalid-parameter', 'not-found', 'conflict']);

/**
 * A refusal that stopped the whole run (a read, or a call about no record) names no record, so the
 * record's fix would send the admin to the SMS for nothing. Record refusals never get here: the apply
 * isolates them and stores each with its own fix.
 */
function notAboutARecord(error: LmsError, lmsName: string): Diagnosis {
  const lms = lmsName.charAt(0).toUpperCase() + lmsName.slice(1);
  const what = error.details.operation ? `its request ${error.details.operation}` : 'a request';
  return {
    kind: 'data',
    summary: `${lms} refused ${what}, which stopped the whole run, not one record: ${error.message}`,
    fix:
      `Nothing in the SMS needs changing. This happens when ${lmsName} refers to something deleted there (run course tracking so deleted courses are marked Deleted) ` +
      `or is a version ClassBridge does not expect. Run the part again; if it keeps failing, send the ClassBridge log to your support contact.`,
    retriesOnItsOwn: false,
  };
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
