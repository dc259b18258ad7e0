import type { LmsAdapterDescriptor } from '../../descriptor';
import { createMoodleAdapter } from './moodle-adapter';

/** Moodle and Totara (through Totara's legacy Moodle web services) share one REST client. */
export const moodleDescriptor: LmsAdapterDescriptor = {
  id: 'moodle',
  providers: [
    { id: 'moodle', label: 'Moodle' },
    { id: 'totara', label: 'Totara' },
  ],
  create: ({ url, token, roleIds, knownRoles, logger, tuning }) =>
    createMoodleAdapter({ ...tuning, url, token, roleIds, knownRoles, ...(logger ? { logger } : {}) }),
};
