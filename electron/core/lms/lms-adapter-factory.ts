import type { AdapterLogger, LmsAdapter, LmsConnectionOptions, LmsRoleId } from '../../../adapters/contract';
import { createMoodleAdapter } from '../../../adapters/lms/moodle';
import type { LmsConnection } from '../model';

export interface LmsTarget {
  provider: LmsConnection['provider'];
  url: string;
  mapping?: Pick<LmsConnection['mapping'], 'roleIds'>;
  /** Role ids an earlier run of this connection learnt or verified (store.lmsRoles). */
  knownRoles?: readonly LmsRoleId[];
}

/** The adapter for an LMS connection. Moodle and Totara share one (Totara's legacy web services). */
export function createLmsAdapter(
  target: LmsTarget,
  token: string,
  logger?: AdapterLogger,
  tuning: Omit<LmsConnectionOptions, 'url' | 'token' | 'logger'> = {},
): LmsAdapter {
  switch (target.provider) {
    case 'moodle':
    case 'totara':
      return createMoodleAdapter({
        ...tuning,
        url: target.url,
        token,
        roleIds: target.mapping?.roleIds ?? {},
        knownRoles: target.knownRoles ?? [],
        ...(logger ? { logger } : {}),
      });
  }
}
