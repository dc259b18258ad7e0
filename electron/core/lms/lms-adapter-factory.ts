import type { AdapterLogger, LmsAdapter } from '../../../adapters/contract';
import { createMoodleAdapter } from '../../../adapters/lms/moodle';
import type { LmsConnection } from '../model';

export interface LmsTarget {
  provider: LmsConnection['provider'];
  url: string;
  mapping?: Pick<LmsConnection['mapping'], 'roles'>;
}

/** The adapter for an LMS connection. Moodle and Totara share one (Totara's legacy web services). */
export function createLmsAdapter(target: LmsTarget, token: string, logger?: AdapterLogger): LmsAdapter {
  switch (target.provider) {
    case 'moodle':
    case 'totara':
      return createMoodleAdapter({ url: target.url, token, ...(logger ? { logger } : {}) });
  }
}
