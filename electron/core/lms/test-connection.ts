import { LmsError, type AdapterLogger } from '../../../adapters/contract';
import type { ConnectionTestResult } from '../api/contract';
import { createLmsAdapter, type LmsTarget } from './lms-adapter-factory';

/**
 * *Test connection*: site, release, what works and what is missing with the fix. A failure to
 * connect is a result too (with the reason and the fix), not an exception: the wizard shows it.
 */
export async function testLmsConnection(
  target: LmsTarget,
  token: string,
  logger?: AdapterLogger,
): Promise<ConnectionTestResult> {
  try {
    // An admin is waiting on the answer: one attempt, and a shorter timeout than a sync's.
    const diagnosis = await createLmsAdapter(target, token, logger, { maxAttempts: 1, timeoutMs: 20_000 }).describe();
    const { site } = diagnosis;
    return {
      reachable: true,
      ok: diagnosis.ok,
      site: {
        name: site.siteName,
        url: site.siteUrl,
        family: site.family,
        release: site.release,
        version: site.version,
        username: site.username,
      },
      features: diagnosis.features.map((f) => ({
        feature: f.feature,
        label: f.label,
        available: f.available,
        missingFunctions: f.missingFunctions,
        ...(f.via ? { via: f.via } : {}),
      })),
      fixes: diagnosis.fixes,
      notes: diagnosis.notes,
    };
  } catch (err) {
    if (!(err instanceof LmsError)) throw err;
    return {
      reachable: false,
      ok: false,
      error: { kind: err.kind, message: err.message, fix: err.fix ?? '' },
      features: [],
      fixes: err.fix ? [err.fix] : [],
      notes: [],
    };
  }
}
