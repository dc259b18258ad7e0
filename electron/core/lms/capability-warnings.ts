import { LmsError, type AdapterLogger, type LmsFeature } from '../../../adapters/contract';
import type { LmsConnection } from '../model';
import { createLmsAdapter } from './lms-adapter-factory';
import { parentRoleWarnings } from './parent-role-warnings';

/** Which probed feature each kind of planned operation needs, and how the warning counts it. */
const NEEDS: readonly { feature: LmsFeature; kinds: readonly string[]; noun: string }[] = [
  { feature: 'create-users', kinds: ['createUsers'], noun: 'user creations' },
  { feature: 'update-users', kinds: ['updateUsers', 'reactivateUsers', 'suspendUsers'], noun: 'user updates' },
  { feature: 'create-courses', kinds: ['createCourses'], noun: 'course creations' },
  { feature: 'enrol', kinds: ['enrol', 'suspendEnrolments'], noun: 'enrolments' },
  { feature: 'unenrol', kinds: ['unenrol'], noun: 'unenrolments' },
  { feature: 'groups', kinds: ['createGroups', 'addGroupMembers'], noun: 'group changes' },
];

/**
 * For a dry run: probes the capabilities the planned operations need (harmless calls, see
 * adapters/lms/moodle/capability-probes.ts) and says which operations would fail, before any run does.
 */
export async function capabilityWarnings(
  connection: LmsConnection,
  token: string,
  counts: Readonly<Record<string, number>>,
  knownRoles: Parameters<typeof createLmsAdapter>[0]['knownRoles'],
  logger?: AdapterLogger,
): Promise<string[]> {
  const needed = NEEDS.map((n) => ({ ...n, count: n.kinds.reduce((sum, k) => sum + (counts[k] ?? 0), 0) })).filter(
    (n) => n.count > 0,
  );
  const parentWrites = (counts.assignParentRoles ?? 0) + (counts.unassignParentRoles ?? 0);
  if (needed.length === 0 && parentWrites === 0) return [];
  try {
    const adapter = createLmsAdapter({ ...connection, knownRoles: knownRoles ?? [] }, token, logger, {
      maxAttempts: 1,
      timeoutMs: 20_000,
    });
    const diagnosis = await adapter.describe({ probe: needed.map((n) => n.feature) });
    const warnings: string[] = parentRoleWarnings(diagnosis.site, parentWrites);
    for (const need of needed) {
      const feature = diagnosis.features.find((f) => f.feature === need.feature);
      if (!feature || feature.available) continue;
      const lacking = feature.missingCapabilities?.length
        ? `the token's role lacks ${feature.missingCapabilities.join(', ')}`
        : `the web service does not allow ${feature.missingFunctions.join(', ')}`;
      warnings.push(
        `${need.count} ${need.noun} in this plan would fail: ${lacking}. Run \`classbridge doctor\` for the fix.`,
      );
    }
    return warnings;
  } catch (err) {
    if (!(err instanceof LmsError)) throw err;
    return [`The LMS could not be asked what this token may do: ${err.message}`];
  }
}
