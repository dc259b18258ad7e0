import type { ApiInput } from '../../../electron/core/contract/contract';

/**
 * One place for query keys, so that event invalidation and mutations name the same caches the pages read.
 * Lists take their filter as the second element; invalidating the first element refreshes every filter.
 */
export const queryKeys = {
  status: ['status'] as const,
  settings: ['settings'] as const,
  connections: ['connections'] as const,
  courses: ['courses'] as const,
  coursesList: (input: ApiInput<'courses:list'>) => ['courses', input] as const,
  errors: ['errors'] as const,
  errorsList: (input: ApiInput<'errors:list'>) => ['errors', input] as const,
  errorGroups: (input: ApiInput<'errors:groups'>) => ['errors', 'groups', input] as const,
};
