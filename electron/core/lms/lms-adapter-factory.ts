import type { AdapterLogger, LmsAdapter, LmsConnectionOptions } from '../../../adapters/contract';
import { createMoodleAdapter } from '../../../adapters/lms/moodle';
import type { LmsConnection } from '../model';

export interface LmsTarget {
  provider: LmsConnection['provider'];
  url: string;
  mapping?: Pick<LmsConnection['mapping'], 'roleIds'>;
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
        ...(logger ? { logger } : {}),
      });
  }
}
