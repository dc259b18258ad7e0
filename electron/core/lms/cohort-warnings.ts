import { LmsError, type AdapterLogger } from '../../../adapters/contract';
import type { LmsConnection } from '../model';
import { createLmsAdapter } from './lms-adapter-factory';

/**
 * For a dry run with cohort writes in the plan: whether the token's service allows the core_cohort_*
 * functions (site info lists them), so a fresh site learns what to add before the first upload. The
 * capabilities (moodle/cohort:manage, :assign) cannot be probed without writing — create_cohorts checks
 * them only after validating the cohort — so those are found by the run, with the fix in its error.
 */
export async function cohortWarnings(
  connection: LmsConnection,
  token: string,
  counts: Readonly<Record<string, number>>,
  logger?: AdapterLogger,
): Promise<string[]> {
  const planned = (counts.createCohorts ?? 0) + (counts.addCohortMembers ?? 0) + (counts.removeCohortMembers ?? 0);
  if (planned === 0) return [];
  try {
    const adapter = createLmsAdapter({ ...connection, knownRoles: [] }, token, logger, {
      maxAttempts: 1,
      timeoutMs: 20_000,
    });
    const missing = (await adapter.missingCohortFunctions?.()) ?? [];
    if (missing.length === 0) return [];
    return [
      `${planned} cohort changes in this plan would fail: the web service does not allow ${missing.join(', ')}. ` +
        'Add them under Site administration › Server › Web services › External services › (the ClassBridge service) › Functions ' +
        '(the rest of the upload still goes without them).',
    ];
  } catch (err) {
    if (!(err instanceof LmsError)) throw err;
    return []; // capabilityWarnings reports an LMS that cannot be asked
  }
}
