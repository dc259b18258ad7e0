import type { AdapterLogger, LmsAdapter, LmsConnectionOptions, LmsRoleId } from '../../../adapters/contract';
import { lmsAdapterOf } from '../../../adapters/lms/registry';
import type { LmsConnection } from '../model';

export interface LmsTarget {
  provider: LmsConnection['provider'];
  url: string;
  mapping?: Pick<LmsConnection['mapping'], 'roleIds'>;
  /** Role ids an earlier run of this connection learnt or verified (store.lmsRoles). */
  knownRoles?: readonly LmsRoleId[];
}

/** The adapter for an LMS connection, from the descriptor that serves its provider (adapters/lms/registry.ts). */
export function createLmsAdapter(
  target: LmsTarget,
  token: string,
  logger?: AdapterLogger,
  tuning: Omit<LmsConnectionOptions, 'url' | 'token' | 'logger'> = {},
): LmsAdapter {
  return lmsAdapterOf(target.provider).create({
    url: target.url,
    token,
    roleIds: target.mapping?.roleIds ?? {},
    knownRoles: target.knownRoles ?? [],
    ...(logger ? { logger } : {}),
    tuning,
  });
}
