import { LmsError, type AdapterLogger, type LmsFeature } from '../../../adapters/contract';
import type { ConnectionTestResult } from '../contract/contract';
import { MappingSchema, type LmsConnection } from '../model';
import { createLmsAdapter, type LmsTarget } from './lms-adapter-factory';

/** What each sync part needs the token's role to be allowed, probed with harmless calls. */
export function featuresToProbe(mapping: Pick<LmsConnection['mapping'], 'removalPolicy'>): LmsFeature[] {
  const features: LmsFeature[] = [
    'create-users',
    'update-users',
    'create-courses',
    'enrol',
    'list-enrolled-users',
    'groups',
    'gradebook',
  ];
  if (mapping.removalPolicy === 'unenrol') features.push('unenrol');
  return features;
}

export interface LmsTestTarget extends LmsTarget {
  mapping?: Pick<LmsConnection['mapping'], 'roleIds'> &
    Partial<Pick<LmsConnection['mapping'], 'roles' | 'removalPolicy'>>;
}

/**
 * *Test connection*: site, release, what works and what is missing with the fix — including the
 * capabilities the token's role lacks (probed, since site info lists functions regardless) and the role
 * ids enrolments will use. A failure to connect is a result too (with the reason and the fix), not an
 * exception: the wizard shows it.
 */
export async function testLmsConnection(
  target: LmsTestTarget,
  token: string,
  logger?: AdapterLogger,
): Promise<ConnectionTestResult> {
  const defaults = MappingSchema.parse({});
  const roles = [...new Set(Object.values(target.mapping?.roles ?? defaults.roles))];
  const probe = featuresToProbe({ removalPolicy: target.mapping?.removalPolicy ?? defaults.removalPolicy });
  try {
    // An admin is waiting on the answer: one attempt, and a shorter timeout than a sync's.
    const diagnosis = await createLmsAdapter(target, token, logger, { maxAttempts: 1, timeoutMs: 20_000 }).describe({
      probe,
      roles,
    });
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
        ...(f.missingCapabilities ? { missingCapabilities: f.missingCapabilities } : {}),
        ...(f.probe ? { probe: f.probe } : {}),
      })),
      ...(diagnosis.roles ? { roles: diagnosis.roles } : {}),
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
